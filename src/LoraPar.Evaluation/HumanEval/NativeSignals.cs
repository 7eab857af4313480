using System.Runtime.InteropServices;

namespace LoraPar.Evaluation.HumanEval;

/// <summary>Kills a whole process group through libc's <c>kill(2)</c> with a negative pid, and tells whether any of it still runs.</summary>
internal static class NativeSignals
{
    private const int SigKill = 9;

    /// <summary>Kills every process of group <paramref name="processGroup"/>; true when some process got the signal.</summary>
    public static bool KillGroup(int processGroup) => processGroup > 1 && Kill(-processGroup, SigKill) == 0;

    /// <summary>
    /// Whether a process of group <paramref name="processGroup"/> is still alive. Zombies do not count: once killed, a
    /// process whose parent is gone waits for init to reap it, which on some machines never happens.
    /// </summary>
    public static bool GroupAlive(int processGroup)
    {
        if (processGroup <= 1 || Kill(-processGroup, 0) != 0) return false;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // the process ended while we looked
            }
            // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 2 && fields[0] != "Z" && fields[0] != "X" && fields[2] == processGroup.ToString(System.Globalization.CultureInfo.InvariantCulture))
                return true;
        }
        return false;
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
