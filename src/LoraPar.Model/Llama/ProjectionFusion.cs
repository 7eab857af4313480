namespace LoraPar.Model.Llama;

/// <summary>
/// An inference session over a model: while it is open, every attention block computes q, k and v, and every MLP gate and
/// up, with one matmul over a <see cref="FusedProjection"/> copy of their weights, and o, down and the LM head go through
/// <see cref="FusedProjection"/> views of theirs (single rows on the CPU: <see cref="CpuMatvec"/>) — for plain linear layers,
/// when no weight gradient is wanted. The copies are taken when the session opens, so the weights must not change until
/// it is disposed: open one around a generation call, never around training. Sessions nest: a block already fused by an
/// outer session is left to it.
/// </summary>
public sealed class ProjectionFusion : IDisposable
{
    private readonly List<IFusibleProjections> _fused = [];

    /// <summary>Fuses the projections of every layer of <paramref name="model"/> not fused yet; each streamed by up to <paramref name="threads"/> threads.</summary>
    public ProjectionFusion(LlamaForCausalLM model, int threads)
    {
        var hosts = model.model.layers.SelectMany(l => new IFusibleProjections[] { l.self_attn, l.mlp }).Append(model);
        foreach (var host in hosts)
            if (host.Fuse(threads)) _fused.Add(host);
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
    bool Fuse(int threads);

    /// <summary>Drops the fused copy.</summary>
    void Unfuse();
}
