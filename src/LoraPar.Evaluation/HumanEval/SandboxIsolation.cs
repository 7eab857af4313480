namespace LoraPar.Evaluation.HumanEval;

/// <summary>How untrusted HumanEval programs are isolated from the host (<c>[eval.humaneval] isolation</c>).</summary>
public enum SandboxIsolation
{
    /// <summary>
    /// Bubblewrap (<c>bwrap</c>): private user, mount, PID, network, IPC, UTS and cgroup namespaces, read-only system folders,
    /// a private size-limited tmpfs as working folder and home, an unprivileged uid and gid (65534, also on the host when
    /// lorapar runs as root), no capabilities and no nested user namespaces. The machine must have bubblewrap and working user
    /// namespaces; otherwise the sandbox refuses to start.
    /// </summary>
    Bubblewrap,

    /// <summary>
    /// No isolation: the interpreter runs as the calling user in a host temporary folder, with only the runner's resource
    /// limits. Programs can read and write everything that user can, and reach the network; as root they can also raise the
    /// limits, and the kernel does not apply the process limit to root at all. Chosen explicitly only.
    /// </summary>
    None,
}
