namespace LoraPar.Evaluation.HumanEval;

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
