namespace LoraPar.Evaluation.HumanEval;

/// <summary>Limits and isolation of the sandbox that runs untrusted programs.</summary>
/// <param name="Timeout">Wall-clock limit per program; past it the whole process group (or PID namespace) is killed.</param>
/// <param name="CpuSeconds">CPU-time limit per program (RLIMIT_CPU).</param>
/// <param name="MemoryBytes">Address-space limit per program (RLIMIT_AS).</param>
/// <param name="MaxFileBytes">Largest file a program may write (RLIMIT_FSIZE).</param>
/// <param name="MaxOutputBytes">Bytes of stdout and of stderr kept per program; the rest is read and dropped.</param>
/// <param name="Workers">Programs run at once; null means one per processor.</param>
/// <param name="Python">The Python 3 interpreter, by name on PATH or by path.</param>
/// <param name="WorkRoot">Where the per-program temporary folders are made; null means the system temp folder.</param>
/// <param name="UseNamespaces">Whether to run in private network and PID namespaces (<c>unshare</c>) where that works.</param>
public sealed record SandboxOptions(
    TimeSpan Timeout,
    int CpuSeconds = 10,
    long MemoryBytes = 1L << 30,
    long MaxFileBytes = 16L << 20,
    int MaxOutputBytes = 16 << 10,
    int? Workers = null,
    string Python = "python3",
    string? WorkRoot = null,
    bool UseNamespaces = true)
{
    /// <summary>
    /// 10 s per program. The reference harness allows 3 s for the program alone, inside an already running interpreter;
    /// here the limit also covers starting Python, which takes seconds on a loaded machine.
    /// </summary>
    public static SandboxOptions Default { get; } = new(TimeSpan.FromSeconds(10));

    /// <summary>The number of parallel workers in effect.</summary>
    public int EffectiveWorkers => Math.Max(1, Workers ?? Environment.ProcessorCount);
}
