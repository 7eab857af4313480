using System.Globalization;
using System.Runtime.InteropServices;

namespace LoraPar.Evaluation.HumanEval;

/// <summary>What the sandbox needs from the host's process table: <c>kill(2)</c>, a process's children and the effective uid.</summary>
internal static class HostProcesses
{
    private const int SigKill = 9;

    /// <summary>Whether this process runs as root (then the sandbox drops to an unprivileged uid before it starts bubblewrap).</summary>
    public static bool IsRoot => GetEffectiveUid() == 0;

    /// <summary>Sends SIGKILL to process <paramref name="pid"/>; true when it was delivered.</summary>
    public static bool Kill(int pid) => pid > 1 && KillSignal(pid, SigKill) == 0;

    /// <summary>The direct children of <paramref name="pid"/>, from <c>/proc/PID/task/TID/children</c>; empty once it is gone.</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        try
        {
            return Directory.GetDirectories($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task")
                .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(text => int.Parse(text, CultureInfo.InvariantCulture))
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return []; // the process ended while we looked
        }
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int KillSignal(int pid, int signal);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUid();
}
