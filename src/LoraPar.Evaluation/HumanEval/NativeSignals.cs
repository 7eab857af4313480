using System.Runtime.InteropServices;

namespace LoraPar.Evaluation.HumanEval;

/// <summary>Sends SIGKILL to a whole process group through libc's <c>kill(2)</c> with a negative pid.</summary>
internal static class NativeSignals
{
    private const int SigKill = 9;

    /// <summary>Kills every process of group <paramref name="processGroup"/>; true when some process got the signal.</summary>
    public static bool KillGroup(int processGroup) => processGroup > 1 && Kill(-processGroup, SigKill) == 0;

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
