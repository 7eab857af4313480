using System.Diagnostics;
using LoraPar.Core;

namespace LoraPar.Evaluation.HumanEval;

/// <summary>Finds out which isolation this machine allows: the Python interpreter, <c>setsid</c>, and working <c>unshare</c> namespaces.</summary>
public static class SandboxEnvironment
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Probes the machine (a few short process starts) and returns the isolation the sandbox will use.</summary>
    public static SandboxIsolation Detect(SandboxOptions options)
    {
        var python = ResolvePython(options.Python);
        var setsid = FindOnPath("setsid");
        var unshare = FindOnPath("unshare");
        var namespaces = options.UseNamespaces && setsid is not null && unshare is not null &&
                         Run(unshare, ["--net", "--pid", "--fork", "--kill-child", "--", python, "-I", "-c", "pass"]).ExitCode == 0;
        return new SandboxIsolation(
            python,
            namespaces ? NetworkIsolation.NetworkNamespace : NetworkIsolation.PythonSocketBlock,
            namespaces ? ProcessIsolation.PidNamespace : setsid is not null ? ProcessIsolation.ProcessGroup : ProcessIsolation.ProcessTree,
            "python audit hook (writes only inside the working folder)");
    }

    /// <summary>The full path of an executable found on PATH, or null.</summary>
    public static string? FindOnPath(string name)
    {
        if (name.Contains('/')) return File.Exists(name) ? Path.GetFullPath(name) : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The interpreter's own path (<c>sys.executable</c>), which skips wrapper scripts such as pyenv shims.</summary>
    private static string ResolvePython(string python)
    {
        var found = FindOnPath(python)
                    ?? throw new BadInputException($"the sandbox's Python interpreter '{python}' was not found on PATH; install Python 3 or set its path");
        var (exitCode, output) = Run(found, ["-I", "-c", "import sys; assert sys.version_info >= (3, 8); print(sys.executable)"]);
        var resolved = output.Trim();
        if (exitCode != 0 || resolved.Length == 0 || !File.Exists(resolved))
            throw new BadInputException($"'{found}' is not a working Python 3.8+ interpreter (exit code {exitCode}); the sandbox needs one");
        return resolved;
    }

    private static (int ExitCode, string Output) Run(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(ProbeTimeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "");
            }
            return (process.ExitCode, output.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, "");
        }
    }
}
