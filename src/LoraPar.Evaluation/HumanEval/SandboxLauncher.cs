using System.Diagnostics;
using LoraPar.Core;

namespace LoraPar.Evaluation.HumanEval;

/// <summary>
/// The resolved command line that starts the runner for one program under the chosen isolation. Resolving it checks the
/// tools the isolation needs and names the first one missing, with how to install it; it never falls back to weaker
/// isolation.
/// </summary>
internal sealed class SandboxLauncher
{
    /// <summary>The hint every refusal ends with.</summary>
    public const string NoneHint = "or set [eval.humaneval] isolation = \"none\" to run HumanEval programs unsandboxed";

    private readonly IReadOnlyList<string> _command;

    private SandboxLauncher(SandboxIsolation isolation, IReadOnlyList<string> command) => (Isolation, _command) = (isolation, command);

    /// <summary>The isolation this launcher starts programs under.</summary>
    public SandboxIsolation Isolation { get; }

    /// <summary>Resolves the interpreter and, under bubblewrap, <c>bwrap</c> and (as root) <c>setpriv</c>; throws <see cref="BadInputException"/>.</summary>
    public static SandboxLauncher Resolve(SandboxOptions options)
    {
        var python = FindOnPath(options.Python)
                     ?? throw new BadInputException($"the sandbox's Python interpreter '{options.Python}' was not found; install Python 3 (apt-get install -y python3)");
        IReadOnlyList<string> Interpreter(string path) => [path, "-I", "-B", "-c", SandboxRunnerScript.Render(options)];
        if (options.Isolation == SandboxIsolation.None) return new SandboxLauncher(SandboxIsolation.None, Interpreter(python));

        var bwrap = FindOnPath(options.Bubblewrap)
                    ?? throw new BadInputException($"bubblewrap is missing: '{options.Bubblewrap}' was not found on PATH, and the HumanEval sandbox needs it; "
                                                   + $"install it (apt-get install -y bubblewrap), {NoneHint}");
        var setpriv = HostProcesses.IsRoot
            ? FindOnPath("setpriv") ?? throw new BadInputException($"setpriv is missing: running as root, the HumanEval sandbox needs it to drop to uid {BubblewrapCommand.Nobody}; "
                                                                   + $"install it (apt-get install -y util-linux), {NoneHint}")
            : null;
        var real = new FileInfo(python).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? python;
        if (!real.StartsWith("/usr/", StringComparison.Ordinal))
            throw new BadInputException($"the sandbox's Python interpreter {real} lives outside /usr, the only software folder bubblewrap binds; "
                                        + $"use the system python3 (apt-get install -y python3), {NoneHint}");
        return new SandboxLauncher(SandboxIsolation.Bubblewrap, BubblewrapCommand.For(bwrap, setpriv, Interpreter(real), options));
    }

    /// <summary>The process start for one program; <paramref name="hostFolder"/> is its working folder without isolation.</summary>
    public ProcessStartInfo StartInfo(string? hostFolder)
    {
        var start = new ProcessStartInfo(_command[0])
        {
            WorkingDirectory = hostFolder ?? "/",
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in _command.Skip(1)) start.ArgumentList.Add(argument);
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        start.Environment["LANG"] = "C.UTF-8";
        if (hostFolder is not null)
        {
            start.Environment["HOME"] = hostFolder;
            start.Environment["TMPDIR"] = hostFolder;
        }
        return start;
    }

    /// <summary>The full path of an executable given by path or found on PATH, or null.</summary>
    private static string? FindOnPath(string name)
    {
        if (name.Contains('/')) return File.Exists(name) ? Path.GetFullPath(name) : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }
}
