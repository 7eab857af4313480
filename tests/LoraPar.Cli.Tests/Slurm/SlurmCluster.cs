using System.Diagnostics;

namespace LoraPar.Cli.Tests.Slurm;

/// <summary>
/// The one-node Slurm cluster of <c>build/slurm-local.sh</c>: found running, or started for these tests (installing Debian's
/// slurm-wlm and munge when root can) and stopped after them. When it cannot be started, <see cref="SkipReason"/> says why.
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    private readonly bool _startedHere;

    public SlurmCluster()
    {
        Script = Path.Combine(RepositoryRoot(), "build", "slurm-local.sh");
        if (Shell("status").Code == 0) return;
        var start = Shell("start");
        if (start.Code == 0) _startedHere = true;
        else SkipReason = $"build/slurm-local.sh start failed (exit code {start.Code}): {start.Output.Trim()}";
    }

    /// <summary>The cluster script.</summary>
    public string Script { get; }

    /// <summary>Why Slurm is not available here (null when it is).</summary>
    public string? SkipReason { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_startedHere) Shell("stop");
    }

    private (int Code, string Output) Shell(string verb)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Script);
        info.ArgumentList.Add(verb);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.GetAwaiter().GetResult());
    }

    /// <summary>The checkout this test assembly was built from (the folder holding LoraPar.slnx).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LoraPar.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no LoraPar.slnx above {AppContext.BaseDirectory}");
    }
}

/// <summary>The tests that share one <see cref="SlurmCluster"/> (run one after the other: the node has few CPUs).</summary>
[CollectionDefinition(Name)]
public sealed class SlurmCollection : ICollectionFixture<SlurmCluster>
{
    public const string Name = "slurm";
}
