using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Npgsql;
using SessionKinds.Tests.Postgres;
using TestAgent;

namespace SessionKinds.Tests.PostgresEngine;

/// <summary>
/// The connection drops after the server received COMMIT, before its answer reaches the store: the completion landed,
/// but the store cannot know from the connection. It asks the server (<c>txid_status</c>) and reports what happened —
/// here a success, the session written exactly once. The drop is made by a loopback TCP relay between the store and the
/// real server that cuts the store's connection right after passing COMMIT on.
/// </summary>
public sealed class CommitReplyLossTests
{
    [SkippableFact]
    public async Task A_completion_whose_COMMIT_answer_is_lost_is_confirmed_by_the_server_and_written_once()
    {
        var server = PostgresServerOrSkip.Get();
        await using var relay = new CommitCuttingRelay(server.Port);
        var schema = "sk_relay_" + Guid.NewGuid().ToString("N")[..8];
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString()) { Port = relay.Port, Pooling = true }.ConnectionString;
        await using var store = await PostgresSessionStore.OpenAsync(new PostgresSessionStoreOptions { ConnectionString = connectionString, Schema = schema, AgentId = "main" });
        var first = await store.CompleteAsync(store.StartSession<ChatTurn>("agent:main:main", "hello"), "hi");

        relay.CutAfterNextCommit();
        var outcome = await store.CompleteAsync(store.StartSession<ChatTurn>("agent:main:main", "did it land?"), "once");

        Assert.True(relay.Cut, "the relay never cut a connection after COMMIT");
        Assert.Equal(first.SessionId, outcome.SessionId);
        Assert.Equal(["hello", "hi", "did it land?", "once"], (await store.ReadTranscriptAsync(outcome.SessionId))!.Messages.Select(m => m.Content));
    }

    /// <summary>Relays loopback connections to the server; once asked, cuts the client's side after passing on a COMMIT.</summary>
    private sealed class CommitCuttingRelay : IAsyncDisposable
    {
        private static readonly byte[] Commit = Encoding.ASCII.GetBytes("COMMIT\0");
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly int _serverPort;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;
        private int _armed;
        private int _cut;

        public CommitCuttingRelay(int serverPort)
        {
            _serverPort = serverPort;
            _listener.Start();
            _accepting = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public bool Cut => Volatile.Read(ref _cut) == 1;

        public void CutAfterNextCommit() => Volatile.Write(ref _armed, 1);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _accepting;
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }

            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, _serverPort, _stop.Token);
                _ = RelayAsync(client, upstream);
            }
        }

        private async Task RelayAsync(TcpClient client, TcpClient upstream)
        {
            using (client)
            using (upstream)
            using (var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                var muted = new StrongBox<bool>();
                var toServer = PumpAsync(client.GetStream(), upstream.GetStream(), muted, watchForCommit: true, done);
                var toClient = PumpAsync(upstream.GetStream(), client.GetStream(), muted, watchForCommit: false, done);
                await Task.WhenAny(toServer, toClient);
                await done.CancelAsync();
            }
        }

        private async Task PumpAsync(NetworkStream from, NetworkStream to, StrongBox<bool> muted, bool watchForCommit, CancellationTokenSource done)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var read = await from.ReadAsync(buffer, done.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    var cut = watchForCommit && buffer.AsSpan(0, read).IndexOf(Commit) >= 0 && Interlocked.Exchange(ref _armed, 0) == 1;
                    if (cut)
                    {
                        Volatile.Write(ref muted.Value, true); // the server's answer to COMMIT never reaches the client
                    }

                    if (!watchForCommit && Volatile.Read(ref muted.Value))
                    {
                        continue;
                    }

                    await to.WriteAsync(buffer.AsMemory(0, read), done.Token);
                    if (cut)
                    {
                        // COMMIT is on its way to the server: let the server act on it, then drop the client's side.
                        await Task.Delay(TimeSpan.FromMilliseconds(500));
                        Volatile.Write(ref _cut, 1);
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
        }
    }
}
