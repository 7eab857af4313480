namespace LoraPar.Evaluation.HumanEval;

/// <summary>Limits and isolation of the sandbox that runs untrusted programs.</summary>
/// <param name="Timeout">Wall-clock limit per program; past it everything the program started is killed.</param>
/// <param name="Isolation">How programs are isolated; <see cref="SandboxIsolation.Bubblewrap"/> unless chosen otherwise.</param>
/// <param name="CpuSeconds">CPU-time limit per process (RLIMIT_CPU).</param>
/// <param name="MemoryBytes">Address-space limit per process (RLIMIT_AS).</param>
/// <param name="MaxFileBytes">Largest file a program may write (RLIMIT_FSIZE).</param>
/// <param name="MaxOpenFiles">Open file descriptors per process (RLIMIT_NOFILE).</param>
/// <param name="MaxProcesses">
/// Processes and threads of one sandbox, the interpreter included (RLIMIT_NPROC; per sandbox under bubblewrap, whose user
/// namespace counts its own). There is no cgroup, so a sandbox's memory is bounded by this times
/// <paramref name="MemoryBytes"/> plus <paramref name="WorkFolderBytes"/>.
/// </param>
/// <param name="WorkFolderBytes">Size of the private tmpfs that is the working folder and home under bubblewrap.</param>
/// <param name="MaxOutputBytes">Bytes of stdout and of stderr kept per program; the rest is read and dropped.</param>
/// <param name="Workers">Programs run at once; null means one per processor.</param>
/// <param name="Python">
/// The Python 3 interpreter, by path or by name on PATH. Under bubblewrap it must live under <c>/usr</c>, the only
/// software folder the sandbox binds.
/// </param>
/// <param name="Bubblewrap">The <c>bwrap</c> executable, by path or by name on PATH.</param>
/// <param name="WorkRoot">Where <see cref="SandboxIsolation.None"/> makes its per-program folders; null means the system temp folder.</param>
public sealed record SandboxOptions(
    TimeSpan Timeout,
    SandboxIsolation Isolation = SandboxIsolation.Bubblewrap,
    int CpuSeconds = 10,
    long MemoryBytes = 1L << 30,
    long MaxFileBytes = 16L << 20,
    int MaxOpenFiles = 64,
    int MaxProcesses = 8,
    long WorkFolderBytes = 64L << 20,
    int MaxOutputBytes = 16 << 10,
    int? Workers = null,
    string Python = "/usr/bin/python3",
    string Bubblewrap = "bwrap",
    string? WorkRoot = null)
{
    /// <summary>
    /// 10 s per program. The reference harness allows 3 s for the program alone, inside an already running interpreter;
    /// here the limit also covers starting the sandbox and Python, which takes seconds on a loaded machine.
    /// </summary>
    public static SandboxOptions Default { get; } = new(TimeSpan.FromSeconds(10));

    /// <summary>The number of parallel workers in effect.</summary>
    public int EffectiveWorkers => Math.Max(1, Workers ?? Environment.ProcessorCount);
}
