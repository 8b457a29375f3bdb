using Microsoft.Extensions.Options;

namespace SessionKinds.Hosting;

/// <summary>Checks <see cref="SessionKindsOptions"/> when the host starts; every message names the setting and what is allowed.</summary>
internal sealed class SessionKindsOptionsValidator : IValidateOptions<SessionKindsOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionKindsOptions options)
    {
        var failures = new List<string>();
        if (!IsAgentId(options.AgentId))
        {
            failures.Add($"SessionKinds:AgentId \"{options.AgentId}\" is not an agent id: use 1 to 64 letters, digits, '-' or '_' (e.g. \"main\"); it becomes part of session keys such as agent:main:cron:morning-brief.");
        }

        if (string.IsNullOrWhiteSpace(options.NodeId) || options.NodeId.Length > 200)
        {
            failures.Add("SessionKinds:NodeId is empty or longer than 200 characters: leave it unset for <machine>/<process id>, or give each node sharing the store its own name.");
        }

        if (options.LeaseDuration < TimeSpan.FromSeconds(5) || options.LeaseDuration > TimeSpan.FromHours(1))
        {
            failures.Add($"SessionKinds:LeaseDuration {options.LeaseDuration} is out of range: use 5 seconds to 1 hour (default 1 minute).");
        }

        if (options.CatchUpWindow < TimeSpan.Zero || options.CatchUpWindow > TimeSpan.FromDays(7))
        {
            failures.Add($"SessionKinds:CatchUpWindow {options.CatchUpWindow} is out of range: use zero (no catch-up) to 7 days (default 1 day).");
        }

        if (options.HeartbeatPrompt is null)
        {
            failures.Add("SessionKinds:HeartbeatPrompt is null: leave it unset for the gateway's default prompt, or write one.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsAgentId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 64)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
