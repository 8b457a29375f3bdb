using SessionKinds.Tool.Cli;

namespace SessionKinds.Tool.Store;

/// <summary>The agent folder and its <c>sessions.json</c>, from the path given on the command line (either of them).</summary>
internal sealed record StoreLocation(string Folder, string SessionsPath)
{
    public const string SessionsFileName = "sessions.json";

    /// <summary>The gateway's own store lock, beside <c>sessions.json</c>.</summary>
    public string GatewayLockPath => SessionsPath + ".lock";

    /// <exception cref="InputException">The path does not exist, holds no <c>sessions.json</c>, or it is a symbolic link.</exception>
    public static StoreLocation Resolve(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        StoreLocation location;
        if (Directory.Exists(full))
        {
            location = new StoreLocation(full, Path.Combine(full, SessionsFileName));
            if (!File.Exists(location.SessionsPath) && new FileInfo(location.SessionsPath).LinkTarget is null)
            {
                throw new InputException(
                    $"{full} has no {SessionsFileName}. Pass an agent's sessions folder (e.g. ~/.openclaw/agents/main/sessions) or the sessions.json file itself.");
            }
        }
        else if (File.Exists(full) || new FileInfo(full).LinkTarget is not null)
        {
            location = new StoreLocation(Path.GetDirectoryName(full)!, full);
        }
        else
        {
            throw new InputException($"{full} does not exist. Pass an agent's sessions folder (e.g. ~/.openclaw/agents/main/sessions) or its sessions.json file.");
        }

        if (new FileInfo(location.SessionsPath).LinkTarget is string target)
        {
            throw new InputException(
                $"{location.SessionsPath} is a symbolic link (to {target}). sessionkinds works only on a store's own file, never through a link, so nothing was read or changed. " +
                "Run it on the folder that holds the file itself, or replace the link with the file.");
        }

        return location;
    }

    /// <summary>Compacting rewrites the folder's <c>sessions.json</c>, so a file of another name is refused.</summary>
    public void RequireSessionsFileName()
    {
        if (!string.Equals(Path.GetFileName(SessionsPath), SessionsFileName, StringComparison.Ordinal))
        {
            throw new InputException(
                $"{SessionsPath} is not a store's sessions.json. compact rewrites an agent folder's sessions.json; pass that folder or that file (inspect reads any file).");
        }
    }
}
