namespace LoraPar.Pipeline.Executors;

/// <summary>Where the stale stages of a plan run (the manifest's <c>[executor] kind</c>, or <c>run --executor</c>).</summary>
public enum ExecutorKind
{
    /// <summary>On this machine: in this process, one stage after the other, or as up to <c>jobs</c> lorapar processes at once.</summary>
    Local,

    /// <summary>One Slurm batch job per stale stage, chained with <c>afterok</c> dependencies, on the shared artifacts folder.</summary>
    Slurm,
}
