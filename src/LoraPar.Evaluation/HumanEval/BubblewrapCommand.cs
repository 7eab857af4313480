namespace LoraPar.Evaluation.HumanEval;

/// <summary>
/// The bubblewrap command line of the sandbox. Namespaces: all of them (user, mount, PID, network, IPC, UTS, cgroup), and no
/// nested user namespaces. Filesystem: a read-only root with <c>/usr</c> bound read-only, the top-level <c>/bin</c>,
/// <c>/sbin</c> and <c>/lib*</c> entries as they are on the host (symbolic links on merged-/usr systems, read-only binds
/// otherwise), <c>/etc/ld.so.cache</c>, a fresh <c>/proc</c>, a minimal <c>/dev</c> made read-only (its device nodes still
/// work), and one private writable tmpfs of bounded size at <c>/tmp</c> that is the working folder and home. Nothing else of
/// the host: no <c>/root</c>, <c>/home</c>, <c>/work</c>, checkouts, models, <c>/etc/shadow</c> or host <c>/proc</c>.
/// Processes: uid and gid 65534, no capabilities, a new session (no terminal to inject into), killed with the calling thread
/// (<c>--die-with-parent</c>), and the interpreter is the namespace's PID 1 (<c>--as-pid-1</c>), so that when it ends, or is
/// killed, the kernel kills every process it left and bubblewrap reaps it (no orphan, no zombie). When lorapar runs as root,
/// <c>setpriv</c> first drops to uid and gid 65534 on the host too, so that the sandbox's user namespace is unprivileged
/// and RLIMIT_NPROC applies (the kernel exempts root).
/// </summary>
internal static class BubblewrapCommand
{
    /// <summary>The unprivileged uid and gid programs run as (<c>nobody</c> / <c>nogroup</c> on Debian).</summary>
    public const int Nobody = 65534;

    /// <summary>The sandbox's working folder and home: its private tmpfs.</summary>
    public const string WorkFolder = "/tmp";

    private static readonly string[] TopLevelEntries = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    /// <summary>The command that runs <paramref name="interpreter"/> (already checked to live under /usr) in the sandbox.</summary>
    /// <param name="bwrap">The resolved <c>bwrap</c>.</param>
    /// <param name="setpriv">The resolved <c>setpriv</c> when lorapar runs as root, else null.</param>
    /// <param name="interpreter">The interpreter command, e.g. <c>/usr/bin/python3 -I -B -c RUNNER</c>.</param>
    /// <param name="options">The sandbox's limits (the tmpfs size).</param>
    public static IReadOnlyList<string> For(string bwrap, string? setpriv, IReadOnlyList<string> interpreter, SandboxOptions options)
    {
        var nobody = Nobody.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var command = new List<string>();
        if (setpriv is not null) command.AddRange([setpriv, "--reuid", nobody, "--regid", nobody, "--clear-groups", "--"]);
        command.AddRange([
            bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session", "--as-pid-1",
            "--uid", nobody, "--gid", nobody, "--hostname", "sandbox", "--ro-bind", "/usr", "/usr",
        ]);
        foreach (var entry in TopLevelEntries) command.AddRange(TopLevel(entry));
        command.AddRange([
            "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
            "--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev",
            "--size", options.WorkFolderBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tmpfs", WorkFolder,
            "--remount-ro", "/", "--chdir", WorkFolder,
            "--clearenv", "--setenv", "HOME", WorkFolder, "--setenv", "TMPDIR", WorkFolder,
            "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "LANG", "C.UTF-8", "--",
        ]);
        command.AddRange(interpreter);
        return command;
    }

    /// <summary>How one top-level entry appears inside: the same symbolic link, a read-only bind of the folder, or nothing.</summary>
    private static IEnumerable<string> TopLevel(string path)
    {
        var info = new DirectoryInfo(path);
        if (!info.Exists && info.LinkTarget is null) return [];
        return info.LinkTarget is { } target ? ["--symlink", target, path] : ["--ro-bind", path, path];
    }
}
