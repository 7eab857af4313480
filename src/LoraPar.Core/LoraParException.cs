namespace LoraPar.Core;

/// <summary>How a failure maps to the process exit code: 1 the job failed, 2 bad usage or bad input, 130 interrupted (SIGINT/SIGTERM).</summary>
public enum FailureKind
{
    JobFailed = 1,
    BadInput = 2,
    Interrupted = 130,
}

/// <summary>
/// A failure lorapar explains to its user in one message: what is wrong, where (file:line or row), and what to do.
/// The CLI prints <see cref="Exception.Message"/> without a stack trace and exits with <see cref="Kind"/>.
/// </summary>
public class LoraParException(FailureKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public FailureKind Kind { get; } = kind;
}

/// <summary>Bad input: a manifest error, a missing file, a malformed dataset row. Exit code 2.</summary>
public sealed class BadInputException(string message, Exception? inner = null)
    : LoraParException(FailureKind.BadInput, message, inner);

/// <summary>The job itself failed (a NaN loss, an unreachable teacher, a native runtime that does not load). Exit code 1.</summary>
public sealed class JobFailedException(string message, Exception? inner = null)
    : LoraParException(FailureKind.JobFailed, message, inner);

/// <summary>The user interrupted the job (Ctrl-C, SIGTERM); what finished is kept and a rerun continues. Exit code 130.</summary>
public sealed class InterruptedException(string message, Exception? inner = null)
    : LoraParException(FailureKind.Interrupted, message, inner);
