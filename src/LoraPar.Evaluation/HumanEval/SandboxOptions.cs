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
    /// <summary>The reference harness's settings: 3 s per program.</summary>
    public static SandboxOptions Default { get; } = new(TimeSpan.FromSeconds(3));

    /// <summary>The number of parallel workers in effect.</summary>
    public int EffectiveWorkers => Math.Max(1, Workers ?? Environment.ProcessorCount);
}

/// <summary>How network access is denied.</summary>
public enum NetworkIsolation
{
    /// <summary>A private network namespace with no interfaces up (<c>unshare --net</c>), plus the Python-level socket block.</summary>
    NetworkNamespace,

    /// <summary>Only the Python-level block: an audit hook that refuses socket creation, connects, binds and name lookups.</summary>
    PythonSocketBlock,
}

/// <summary>How a program and everything it starts are killed at the timeout.</summary>
public enum ProcessIsolation
{
    /// <summary>A private PID namespace (<c>unshare --pid --fork --kill-child</c>): killing its first process ends them all.</summary>
    PidNamespace,

    /// <summary>A new session and process group (<c>setsid</c>), killed as a group.</summary>
    ProcessGroup,

    /// <summary>The process tree as seen from <c>/proc</c> (no <c>setsid</c> on this machine).</summary>
    ProcessTree,
}

/// <summary>The isolation a sandbox actually uses on this machine (recorded with every HumanEval report).</summary>
/// <param name="Python">The resolved interpreter path.</param>
/// <param name="Network">How network access is denied.</param>
/// <param name="Processes">How processes are contained and killed.</param>
/// <param name="Filesystem">How writes outside the working folder are refused: always a Python audit hook.</param>
public sealed record SandboxIsolation(string Python, NetworkIsolation Network, ProcessIsolation Processes, string Filesystem);
