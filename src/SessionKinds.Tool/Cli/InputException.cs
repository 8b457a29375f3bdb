namespace SessionKinds.Tool.Cli;

/// <summary>
/// A problem with the input (exit code 1): the message names the file and, where there is one, the line or key, and says
/// what to do. Nothing was changed when it is thrown.
/// </summary>
internal sealed class InputException(string message) : Exception(message);
