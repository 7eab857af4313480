using System.Globalization;
using System.Security.Cryptography;

namespace LoraPar.Evaluation.Tests.HumanEval;

/// <summary>
/// What a sandboxed program must leave untouched on the host: a canary folder (names, sizes, times and bytes of its files)
/// and the process table (no process of uid 65534 outside a live bubblewrap: one that outlived its sandbox).
/// </summary>
internal sealed class HostState : IDisposable
{
    private const string SandboxUid = "65534";

    /// <summary>Creates the canary folder under the test binaries, a place no sandbox binds.</summary>
    public HostState()
    {
        Directory.CreateDirectory(Path.Combine(Canary, "sub"));
        File.WriteAllText(Path.Combine(Canary, "keep.txt"), "canary");
        File.WriteAllText(Path.Combine(Canary, "sub", "inner.txt"), "inner");
        Baseline = CanaryFingerprint();
    }

    /// <summary>The canary folder's path on the host.</summary>
    public string Canary { get; } = Path.Combine(AppContext.BaseDirectory, "canary-" + Guid.NewGuid().ToString("N"));

    private string Baseline { get; }

    /// <summary>The canary folder's contents as one string; equal before and after means nothing was written or deleted.</summary>
    public string CanaryFingerprint() => string.Join("\n", new DirectoryInfo(Canary)
        .EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
        .OrderBy(f => f.FullName, StringComparer.Ordinal)
        .Select(f => f is FileInfo file
            ? $"{f.FullName} {file.Length} {f.LastWriteTimeUtc.Ticks} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f.FullName)))} {file.UnixFileMode}"
            : $"{f.FullName}/ {f.LastWriteTimeUtc.Ticks} {f.UnixFileMode}"));

    /// <summary>Whether the canary is as it was made.</summary>
    public bool CanaryIntact => CanaryFingerprint() == Baseline;

    /// <summary>
    /// Processes of the sandbox's uid with no live <c>bwrap</c> or <c>setpriv</c> among them and their ancestors, in two
    /// snapshots 100 ms apart (so that a sandbox of another test that was just ending is not taken for a survivor).
    /// </summary>
    public static IReadOnlyList<string> Survivors()
    {
        var first = Unsandboxed(Processes());
        if (first.Count == 0) return [];
        Thread.Sleep(100);
        return Unsandboxed(Processes()).Intersect(first).ToList();
    }

    /// <summary>Waits up to <paramref name="wait"/> for <see cref="Survivors"/> to be empty, and returns what remains.</summary>
    public static IReadOnlyList<string> SurvivorsAfter(TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var survivors = Survivors();
            if (survivors.Count == 0 || DateTime.UtcNow > deadline) return survivors;
            Thread.Sleep(50);
        }
    }

    public void Dispose() => Directory.Delete(Canary, recursive: true);

    private static List<string> Unsandboxed(Dictionary<int, (string Comm, int Parent, string Uid, bool Zombie, string Start)> table) => table
        .Where(p => p.Value.Uid == SandboxUid && !p.Value.Zombie && !UnderSandbox(table, p.Key))
        .Select(p => $"{p.Key} {p.Value.Comm} (started at tick {p.Value.Start})")
        .ToList();

    private static bool UnderSandbox(Dictionary<int, (string Comm, int Parent, string Uid, bool Zombie, string Start)> table, int pid)
    {
        for (var hops = 0; hops < 64 && table.TryGetValue(pid, out var p); hops++, pid = p.Parent)
            if (p.Comm is "bwrap" or "setpriv" && !p.Zombie) return true;
        return false;
    }

    private static Dictionary<int, (string Comm, int Parent, string Uid, bool Zombie, string Start)> Processes()
    {
        var table = new Dictionary<int, (string, int, string, bool, string)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var comm = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var uid = File.ReadLines(Path.Combine(dir, "status")).First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
                    .Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
                table[pid] = (comm, int.Parse(fields[1], CultureInfo.InvariantCulture), uid, fields[0] is "Z" or "X", fields[19]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // The process ended while we looked.
            }
        }
        return table;
    }
}
