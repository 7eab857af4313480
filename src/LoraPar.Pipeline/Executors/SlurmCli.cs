using System.ComponentModel;
using System.Diagnostics;
using LoraPar.Core;

namespace LoraPar.Pipeline.Executors;

/// <summary>What a Slurm command printed and how it ended.</summary>
public sealed record SlurmOutput(int ExitCode, string Out, string Error)
{
    /// <summary>Whether it succeeded.</summary>
    public bool Ok => ExitCode == 0;
}

/// <summary>Runs Slurm's own commands (<c>sbatch</c>, <c>scontrol</c>, <c>squeue</c>, <c>sacct</c>, <c>scancel</c>) from PATH.</summary>
public static class SlurmCli
{
    /// <summary>Runs <paramref name="tool"/> with <paramref name="arguments"/>; a missing tool is a <see cref="JobFailedException"/>.</summary>
    public static SlurmOutput Run(string tool, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(info)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return new SlurmOutput(process.ExitCode, output, error.GetAwaiter().GetResult());
        }
        catch (Win32Exception e)
        {
            throw new JobFailedException($"cannot run Slurm's '{tool}' ({e.Message}); is this a Slurm login node? (build/slurm-local.sh start "
                + "sets up a one-node cluster here)", e);
        }
    }

    /// <summary>Runs <paramref name="tool"/> and returns its output, or fails naming the command and Slurm's message.</summary>
    public static string Require(string tool, IReadOnlyList<string> arguments)
    {
        var result = Run(tool, arguments);
        if (result.Ok) return result.Out;
        throw new JobFailedException($"{tool} {string.Join(' ', arguments)} failed (exit code {result.ExitCode}): {result.Error.Trim()}");
    }
}
