namespace LoraPar.Evaluation.HumanEval;

/// <summary>How a sandboxed program ended.</summary>
public enum ExecutionOutcome
{
    /// <summary>It ran to its end.</summary>
    Passed,

    /// <summary>It raised, exited early, or was killed by a resource limit.</summary>
    Failed,

    /// <summary>It was still running at the wall-clock limit and was killed.</summary>
    TimedOut,
}

/// <summary>The result of one sandboxed program.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="ExitCode">The process exit code (-1 when killed at the timeout).</param>
/// <param name="Detail">A one-line reason: the last line of the error output, the signal, or the timeout.</param>
/// <param name="Stdout">Captured standard output, at most the configured bytes.</param>
/// <param name="Stderr">Captured standard error, at most the configured bytes.</param>
/// <param name="Elapsed">Wall-clock time from start to the end of cleanup.</param>
public sealed record ExecutionResult(ExecutionOutcome Outcome, int ExitCode, string Detail, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>Whether the program passed.</summary>
    public bool Passed => Outcome == ExecutionOutcome.Passed;
}
