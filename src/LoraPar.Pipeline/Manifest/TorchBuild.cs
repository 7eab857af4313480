namespace LoraPar.Pipeline.Manifest;

/// <summary>Which tensor backend this build links (the <c>TorchBackend</c> build switch: cpu or cuda).</summary>
public static class TorchBuild
{
    /// <summary>Whether this is the CUDA build (<c>-p:TorchBackend=cuda</c>).</summary>
#if TORCH_CUDA
    public const bool Cuda = true;
#else
    public const bool Cuda = false;
#endif
}
