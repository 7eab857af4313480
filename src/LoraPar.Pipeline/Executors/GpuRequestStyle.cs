namespace LoraPar.Pipeline.Executors;

/// <summary>How a GPU stage's job asks Slurm for its GPUs (clusters differ in which form their policy accepts).</summary>
public enum GpuRequestStyle
{
    /// <summary><c>--gres=gpu:N</c>, the generic-resource form every Slurm version takes.</summary>
    Gres,

    /// <summary><c>--gpus=N</c>, the trackable-resource form (Slurm 19.05 and later).</summary>
    Gpus,
}
