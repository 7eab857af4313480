namespace LoraPar.Core;

/// <summary>Process exit codes of the lorapar CLI.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int JobFailed = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130;
}
