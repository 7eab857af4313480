namespace LoraPar.Evaluation.HumanEval;

/// <summary>The one line the sandbox stops with when a trivial program does not pass through it: what is missing, and the fix.</summary>
internal static class SandboxRefusal
{
    private static readonly string[] NamespaceSymptoms =
        ["namespace", "Operation not permitted", "No permissions", "uid map", "gid map"];

    /// <summary>Explains why the probe (<c>pass</c>) failed under <paramref name="options"/>.</summary>
    public static string Explain(SandboxOptions options, ExecutionResult probe)
    {
        var bwrapLine = probe.Stderr.Split('\n', StringSplitOptions.TrimEntries)
            .FirstOrDefault(line => line.StartsWith("bwrap:", StringComparison.Ordinal));
        if (options.Isolation == SandboxIsolation.Bubblewrap && bwrapLine is not null &&
            NamespaceSymptoms.Any(s => bwrapLine.Contains(s, StringComparison.OrdinalIgnoreCase)))
            return $"bubblewrap cannot create the sandbox's user namespace here ({bwrapLine}); enable unprivileged user namespaces "
                   + "(sysctl -w user.max_user_namespaces=15000; on Debian kernels before 6.x also sysctl -w kernel.unprivileged_userns_clone=1; "
                   + "on Ubuntu 24.04 sysctl -w kernel.apparmor_restrict_unprivileged_userns=0; in a container, allow them, e.g. "
                   + $"docker run --security-opt seccomp=unconfined --security-opt apparmor=unconfined), {SandboxLauncher.NoneHint}";
        return $"the HumanEval sandbox ({options.Isolation}) does not run even an empty program: {bwrapLine ?? probe.Detail}; "
               + "check the Python interpreter and bubblewrap installation";
    }
}
