using SessionKinds.Tool.Cli;

return await SessionKindsCli.RunAsync(args, Console.Out, Console.Error, TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
