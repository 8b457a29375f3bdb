using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Npgsql;

namespace SessionKinds.Tests.Postgres;

/// <summary>
/// A throwaway PostgreSQL server for one test (or benchmark) process: installed from Debian's packages when missing (as
/// root), initialised in a data folder of its own under /tmp, started on a free loopback port (trust authentication on
/// 127.0.0.1 and the unix socket in its data folder only), and stopped with its folder removed when the process exits —
/// also when the process is killed, by a watchdog that outlives it.
/// </summary>
/// <remarks>
/// <para>When it cannot start: a test run in CI (the <c>CI</c> variable set) or as root fails, since it could have
/// installed and started it; elsewhere the PostgreSQL tests skip with <see cref="Unavailable"/>, which says why and how to
/// run them. <see cref="CanTry"/> tells at test discovery, without starting anything, whether a server may be had.</para>
/// <para>Environment: <c>SESSIONKINDS_POSTGRES_BIN</c> names a folder holding <c>postgres</c>, <c>initdb</c> and
/// <c>pg_ctl</c> (default: the newest <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>).</para>
/// </remarks>
public sealed class PostgresTestServer : IDisposable
{
    /// <summary>The database every test schema lives in.</summary>
    public const string Database = "sessionkinds_tests";

    /// <summary>A role that must log in with a password (<see cref="PasswordUserPassword"/>), for the authentication tests.</summary>
    public const string PasswordUser = "sk_password_user";

    /// <summary>The password of <see cref="PasswordUser"/>.</summary>
    public const string PasswordUserPassword = "the-right-password";

    private const string BinEnvironmentVariable = "SESSIONKINDS_POSTGRES_BIN";
    private static readonly Lazy<PostgresTestServer> SharedServer = new(() => Start(durable: false), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly object InstallGate = new();

    private readonly string _bin;
    private readonly string _runAs;
    private Process? _watchdog;
    private int _stopped;

    private PostgresTestServer(string bin, string root, int port, string runAs, string version)
    {
        _bin = bin;
        Root = root;
        Port = port;
        _runAs = runAs;
        Version = version;
    }

    /// <summary>The server this process's tests share, started on first use.</summary>
    /// <exception cref="PostgresUnavailableException">It could not be started; <see cref="PostgresUnavailableException.MaySkip"/> says whether tests may skip.</exception>
    public static PostgresTestServer Shared => SharedServer.Value;

    /// <summary>
    /// Whether a server may be had here, decided without starting one: its binaries are installed, or this process may
    /// install them (root), or this is CI (where a missing server must fail the tests, so they are never left out).
    /// </summary>
    public static bool CanTry => IsCi || IsRoot || FindBin() is not null;

    /// <summary>Why no server can be had here and how to run the PostgreSQL tests, or <see langword="null"/> when one may be.</summary>
    public static string? Unavailable => CanTry ? null :
        "PostgreSQL tests skipped: no PostgreSQL server binaries were found (looked for postgres, initdb and pg_ctl in " +
        $"/usr/lib/postgresql/<version>/bin and ${BinEnvironmentVariable}) and this user is not root, so the test run cannot install them. " +
        "To run them: `sudo apt-get install postgresql` (the tests then start their own throwaway server on a loopback port), " +
        $"or run `dotnet test` as root or with CI=true (it installs the Debian package itself), or set {BinEnvironmentVariable} to a folder with those programs.";

    /// <summary>The data folder's parent: the data folder, the server log, the socket.</summary>
    public string Root { get; }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The server's major version, e.g. <c>15</c>.</summary>
    public string Version { get; }

    /// <summary>The data folder.</summary>
    public string DataFolder => Path.Combine(Root, "data");

    /// <summary>The server's log.</summary>
    public string LogPath => Path.Combine(Root, "server.log");

    /// <summary>The superuser's connection string for <paramref name="database"/> (trust authentication: no password).</summary>
    public string ConnectionString(string database = Database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        Pooling = true,
        Timeout = 30,
        ApplicationName = "sessionkinds-tests",
    }.ConnectionString;

    /// <summary>
    /// Starts a server of its own (the benchmarks start a durable one: fsync and synchronous commit on, as in production;
    /// tests run without them, since a throwaway server never outlives the run). The caller disposes it.
    /// </summary>
    /// <exception cref="PostgresUnavailableException">It could not be started.</exception>
    public static PostgresTestServer Start(bool durable)
    {
        var bin = FindBin();
        if (bin is null)
        {
            if (!IsRoot)
            {
                throw new PostgresUnavailableException(Unavailable ??
                    "PostgreSQL tests fail rather than skip in CI (CI is set): no server binaries were found (postgres, initdb and pg_ctl in " +
                    $"/usr/lib/postgresql/<version>/bin or ${BinEnvironmentVariable}) and this user is not root, so the test run cannot install them. " +
                    "Run the tests as root (they install Debian's postgresql package), or install it on the CI machine.", maySkip: !IsCi);
            }

            Install();
            bin = FindBin() ?? throw new PostgresUnavailableException(
                "apt-get installed postgresql, yet no /usr/lib/postgresql/<version>/bin/postgres was found.", maySkip: false);
        }

        var runAs = IsRoot ? EnsurePostgresUser() : Environment.UserName;
        var version = Path.GetFileName(Path.GetDirectoryName(bin)!) ?? "?";
        var root = Path.Combine("/tmp", $"sessionkinds-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(root);
        try
        {
            if (IsRoot)
            {
                Run("chown", [runAs, root], asUser: null, TimeSpan.FromSeconds(30));
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            var data = Path.Combine(root, "data");
            Run(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"], IsRoot ? runAs : null, TimeSpan.FromMinutes(3));

            // Loopback only: TCP on 127.0.0.1 (a password for the one role that needs it, trust for the rest) and the socket
            // in the data folder, which only the server's user can enter.
            File.WriteAllText(Path.Combine(data, "pg_hba.conf"),
                "# Throwaway test server: loopback only.\n" +
                "local all all trust\n" +
                $"host all {PasswordUser} 127.0.0.1/32 scram-sha-256\n" +
                "host all all 127.0.0.1/32 trust\n");

            PostgresTestServer? server = null;
            string? lastError = null;
            for (var attempt = 0; attempt < 5 && server is null; attempt++)
            {
                var port = FreeLoopbackPort();
                var candidate = new PostgresTestServer(bin, root, port, runAs, version);
                if (candidate.TryStartServer(durable, out lastError))
                {
                    server = candidate;
                }
            }

            if (server is null)
            {
                throw new PostgresUnavailableException($"The PostgreSQL {version} server in {root} did not start: {lastError}", maySkip: !IsCi && !IsRoot);
            }

            server.StartWatchdog();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
            server.Prepare();
            return server;
        }
        catch (PostgresUnavailableException)
        {
            StopAndRemove(bin, root, runAs);
            throw;
        }
        catch (Exception ex)
        {
            StopAndRemove(bin, root, runAs);
            throw new PostgresUnavailableException($"The PostgreSQL {version} test server could not be prepared in {root}: {ex.Message}", maySkip: !IsCi && !IsRoot, ex);
        }
    }

    /// <summary>A new empty database on this server (for tests that need one of their own).</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    /// <summary>Stops the server at once (no checkpoint: its data is thrown away) and removes its folder. Safe to call twice.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        StopAndRemove(_bin, Root, _runAs);
        try
        {
            if (_watchdog is { HasExited: false })
            {
                _watchdog.Kill();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _watchdog?.Dispose();
    }

    /// <summary>Stops the server as a crash would (immediate shutdown), leaving its data folder, for tests that restart it.</summary>
    public void Crash() => Run(Path.Combine(_bin, "pg_ctl"), ["-D", DataFolder, "stop", "-m", "immediate", "-w"], IsRoot ? _runAs : null, TimeSpan.FromMinutes(1));

    /// <summary>Starts the server again after <see cref="Crash"/>, on the same port.</summary>
    public void Restart(bool durable = false)
    {
        if (!TryStartServer(durable, out var error))
        {
            throw new InvalidOperationException($"The PostgreSQL test server did not restart: {error}");
        }
    }

    private static bool IsCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    private static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    [DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();

    /// <summary>The bin folder of the newest installed server, or <see langword="null"/>.</summary>
    private static string? FindBin()
    {
        static bool Complete(string folder) => File.Exists(Path.Combine(folder, "postgres")) && File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl"));

        if (Environment.GetEnvironmentVariable(BinEnvironmentVariable) is { Length: > 0 } configured)
        {
            return Complete(configured) ? Path.GetFullPath(configured) : null;
        }

        if (!Directory.Exists("/usr/lib/postgresql"))
        {
            return null;
        }

        return Directory.EnumerateDirectories("/usr/lib/postgresql")
            .Select(d => (Folder: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0))
            .Where(c => Complete(c.Folder))
            .OrderByDescending(c => c.Version)
            .Select(c => c.Folder)
            .FirstOrDefault();
    }

    /// <summary>Installs Debian's postgresql package (as root), one process at a time; runs apt-get update when the package is not found.</summary>
    private static void Install()
    {
        lock (InstallGate)
        {
            using var machineWide = AcquireInstallLock();
            if (FindBin() is not null)
            {
                return; // another test process installed it meanwhile
            }

            string[] install = ["-o", "DPkg::Lock::Timeout=600", "install", "-y", "--no-install-recommends", "postgresql"];
            var first = TryRun("apt-get", install, TimeSpan.FromMinutes(20));
            if (first.ExitCode == 0 && FindBin() is not null)
            {
                return;
            }

            var update = TryRun("apt-get", ["-o", "DPkg::Lock::Timeout=600", "update"], TimeSpan.FromMinutes(20));
            var second = TryRun("apt-get", install, TimeSpan.FromMinutes(20));
            if (second.ExitCode != 0 || FindBin() is null)
            {
                throw new PostgresUnavailableException(
                    "Installing PostgreSQL with `apt-get install -y postgresql` failed (after `apt-get update`, exit " +
                    $"{update.ExitCode}): exit {second.ExitCode}: {Tail(second.Output)}", maySkip: false);
            }
        }
    }

    /// <summary>A lock that test processes running side by side share while one installs.</summary>
    private static FileStream AcquireInstallLock()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream("/tmp/sessionkinds-postgres-install.lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (deadline.Elapsed < TimeSpan.FromMinutes(30))
            {
                Thread.Sleep(500);
            }
        }
    }

    /// <summary>The user the server runs as when the tests run as root (initdb refuses root): <c>postgres</c>, created when missing.</summary>
    private static string EnsurePostgresUser()
    {
        if (TryRun("id", ["-u", "postgres"], TimeSpan.FromSeconds(30)).ExitCode != 0)
        {
            Run("useradd", ["--system", "--user-group", "--home-dir", "/var/lib/postgresql", "--no-create-home", "--shell", "/bin/bash", "postgres"], asUser: null, TimeSpan.FromMinutes(1));
        }

        return "postgres";
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private bool TryStartServer(bool durable, out string? error)
    {
        var settings = new List<string>
        {
            $"-p {Port}",
            "-c listen_addresses=127.0.0.1",
            $"-c unix_socket_directories={DataFolder}",
            "-c max_connections=300",
            "-c shared_buffers=64MB",
            "-c max_locks_per_transaction=256",
            "-c log_min_messages=warning",
            "-c log_min_error_statement=panic",
        };
        settings.AddRange(durable
            ? ["-c fsync=on", "-c synchronous_commit=on", "-c full_page_writes=on"]
            : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]);
        var result = TryRun(
            Path.Combine(_bin, "pg_ctl"),
            ["-D", DataFolder, "-l", LogPath, "-w", "-t", "120", "-o", string.Join(' ', settings), "start"],
            TimeSpan.FromMinutes(3),
            IsRoot ? _runAs : null);
        if (result.ExitCode == 0)
        {
            error = null;
            return true;
        }

        error = $"pg_ctl start exited {result.ExitCode}: {Tail(result.Output)}; server log: {Tail(ReadLog())}";

        // A server that came up late (or half) must not be left behind before the next port is tried.
        TryRun(Path.Combine(_bin, "pg_ctl"), ["-D", DataFolder, "stop", "-m", "immediate", "-w"], TimeSpan.FromMinutes(1), IsRoot ? _runAs : null);
        return false;
    }

    private string ReadLog()
    {
        try
        {
            return File.Exists(LogPath) ? File.ReadAllText(LogPath) : "(no log)";
        }
        catch (IOException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The test database and the password role.</summary>
    private void Prepare()
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand(
            $"CREATE DATABASE {Database} ENCODING 'UTF8' TEMPLATE template0; " +
            $"CREATE ROLE {PasswordUser} LOGIN PASSWORD '{PasswordUserPassword}'",
            connection);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// A process, in a session of its own so it outlives this one, that stops the server and removes its folder as soon
    /// as this process is gone — however it ended (a crash, a kill by the test runner's hang timeout).
    /// </summary>
    private void StartWatchdog()
    {
        var stop = $"{Quote(Path.Combine(_bin, "pg_ctl"))} -D {Quote(DataFolder)} stop -m immediate -w";
        if (IsRoot)
        {
            stop = $"runuser -u {_runAs} -- {stop}";
        }

        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; " +
            $"if [ -d {Quote(DataFolder)} ]; then {stop} >/dev/null 2>&1; fi; rm -rf {Quote(Root)}";
        var info = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("bash");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        _watchdog = Process.Start(info);
    }

    private static void StopAndRemove(string bin, string root, string runAs)
    {
        var data = Path.Combine(root, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            TryRun(Path.Combine(bin, "pg_ctl"), ["-D", data, "stop", "-m", "immediate", "-w"], TimeSpan.FromMinutes(1), IsRoot ? runAs : null);
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static void Run(string program, string[] arguments, string? asUser, TimeSpan timeout)
    {
        var result = TryRun(program, arguments, timeout, asUser);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited {result.ExitCode}: {Tail(result.Output)}");
        }
    }

    /// <summary>Runs a program (as <paramref name="asUser"/> through runuser when given) and returns its exit code and output.</summary>
    private static (int ExitCode, string Output) TryRun(string program, string[] arguments, TimeSpan timeout, string? asUser = null)
    {
        var info = new ProcessStartInfo(asUser is null ? program : "runuser")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        if (asUser is not null)
        {
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(asUser);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        info.Environment["LC_ALL"] = "C";
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, $"could not start {program}: {ex.Message}");
        }

        using (process)
        {
            process.StandardInput.Close();
            var output = new StringBuilder();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{program} did not finish within {timeout}");
            }

            output.Append(stdout.GetAwaiter().GetResult()).Append(stderr.GetAwaiter().GetResult());
            return (process.ExitCode, output.ToString());
        }
    }

    private static string Tail(string text)
    {
        text = text.Trim();
        return text.Length <= 2000 ? text : "…" + text[^2000..];
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

/// <summary>No PostgreSQL test server could be had; <see cref="MaySkip"/> when tests may skip (outside CI, not root).</summary>
public sealed class PostgresUnavailableException : Exception
{
    public PostgresUnavailableException(string message, bool maySkip, Exception? innerException = null)
        : base(message, innerException)
    {
        MaySkip = maySkip;
    }

    /// <summary>Whether the tests may skip instead of failing: not in CI and not root (a root run could have installed it).</summary>
    public bool MaySkip { get; }
}
