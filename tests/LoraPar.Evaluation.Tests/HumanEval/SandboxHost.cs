using System.Net;
using System.Net.Sockets;
using LoraPar.Evaluation.HumanEval;

namespace LoraPar.Evaluation.Tests.HumanEval;

/// <summary>
/// One bubblewrap executor for the hostile corpus (3 s wall, 256 MiB address space, 4 KiB of output kept) and listeners on
/// the host's loopback (TCP, UDP, an abstract unix socket) that no program may reach.
/// </summary>
public sealed class SandboxHost : IDisposable
{
    private readonly TcpListener _tcp = new(IPAddress.Loopback, 0);
    private readonly Socket _udp = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _unix = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly string _unixName = "lorapar-test-" + Guid.NewGuid().ToString("N");

    public SandboxHost()
    {
        _tcp.Start();
        _udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _unix.Bind(new UnixDomainSocketEndPoint("\0" + _unixName));
        _unix.Listen();
        Executor = new SandboxExecutor(Options);
    }

    /// <summary>The corpus's limits.</summary>
    public static SandboxOptions Options { get; } =
        SandboxOptions.Default with { Timeout = TimeSpan.FromSeconds(3), MemoryBytes = 256L << 20, MaxOutputBytes = 4096 };

    public SandboxExecutor Executor { get; }

    /// <summary>The repository root (the folder with LoraPar.slnx above the test binaries).</summary>
    public static string Repository { get; } = FindRepository();

    /// <summary><paramref name="program"/> with the corpus's placeholders filled in, <paramref name="canary"/> for {CANARY}.</summary>
    public string Fill(string program, string canary) => program
        .Replace("{CANARY}", canary)
        .Replace("{REPO}", Repository)
        .Replace("{TCP}", ((IPEndPoint)_tcp.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .Replace("{UDP}", ((IPEndPoint)_udp.LocalEndPoint!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .Replace("{UNIX}", _unixName);

    /// <summary>Whether any listener got a connection or a datagram since the last call (what came is taken, so each case sees its own).</summary>
    public bool TakeContacts()
    {
        var contacted = false;
        while (_tcp.Pending())
        {
            _tcp.AcceptSocket().Dispose();
            contacted = true;
        }
        var buffer = new byte[65536];
        while (_udp.Available > 0)
        {
            _udp.Receive(buffer);
            contacted = true;
        }
        while (_unix.Poll(0, SelectMode.SelectRead))
        {
            _unix.Accept().Dispose();
            contacted = true;
        }
        return contacted;
    }

    public void Dispose()
    {
        _tcp.Stop();
        _udp.Dispose();
        _unix.Dispose();
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LoraPar.slnx"))) return dir.FullName;
        throw new InvalidOperationException("no LoraPar.slnx above " + AppContext.BaseDirectory);
    }
}
