namespace LoraPar.Model.Llama;

/// <summary>
/// An inference session over a model: while it is open, every attention block computes q, k and v, and every MLP gate and
/// up, with one matmul over a <see cref="FusedProjection"/> copy of their weights (when they are plain linear layers and
/// no gradient is wanted). The copies are taken when the session opens, so the weights must not change until it is
/// disposed — open one around a generation or scoring call, never around training. Sessions nest: a block already
/// fused by an outer session is left to it.
/// </summary>
public sealed class ProjectionFusion : IDisposable
{
    private readonly List<IFusibleProjections> _fused = [];

    /// <summary>Fuses the projections of every layer of <paramref name="model"/> not fused yet.</summary>
    public ProjectionFusion(LlamaModel model)
    {
        foreach (var layer in model.layers)
            foreach (var host in new IFusibleProjections[] { layer.self_attn, layer.mlp })
                if (host.Fuse()) _fused.Add(host);
    }

    /// <summary>Drops the copies this session made.</summary>
    public void Dispose()
    {
        foreach (var host in _fused) host.Unfuse();
        _fused.Clear();
    }
}

/// <summary>A block whose input projections can be fused for an inference session (<see cref="ProjectionFusion"/>).</summary>
internal interface IFusibleProjections
{
    /// <summary>Takes the fused copy; false when already fused or when the projections cannot be fused (e.g. adapters).</summary>
    bool Fuse();

    /// <summary>Drops the fused copy.</summary>
    void Unfuse();
}
