namespace LoraPar.Pipeline.Executors;

/// <summary>Where the stale stages of a plan run (the manifest's <c>[executor] kind</c>, or <c>run --executor</c>).</summary>
public enum ExecutorKind
{
    /// <summary>In this process, one stage after the other.</summary>
    Local,

    /// <summary>One Slurm batch job per stale stage, chained with <c>afterok</c> dependencies, on the shared artifacts folder.</summary>
    Slurm,
}
