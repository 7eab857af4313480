using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Llama;

/// <summary>
/// Gradient checkpointing of one decoder layer (what <c>torch.utils.checkpoint</c> does; TorchSharp has none): a custom
/// autograd function whose forward runs the layer without building its graph and keeps only the layer input, and whose
/// backward runs the layer forward again under grad and back-propagates the incoming gradient through it, to the input
/// and to every parameter of the layer that requires grad. The gradients equal the plain path's; the price is one more
/// forward of the layer. Dropout replays the same masks on the CPU: the default generator's state before the forward is
/// restored for the recompute (and the state after it put back). TorchSharp cannot read CUDA's generator state, so on CUDA
/// a layer with active dropout would draw new masks; the manifest rules refuse that combination.
/// </summary>
public sealed class LayerCheckpoint : autograd.SingleTensorFunction<LayerCheckpoint>
{
    private const string ReplayKey = "replay";

    /// <inheritdoc />
    public override string Name => nameof(LayerCheckpoint);

    /// <summary>The layer's output for <paramref name="x"/> (B, T, d), its activations recomputed in the backward pass.</summary>
    public static Tensor Run(DecoderLayer layer, Tensor x, AttentionContext context)
    {
        var parameters = layer.parameters().Where(p => p.requires_grad).Cast<Tensor>().ToList();
        var state = layer.training && x.device.type == DeviceType.CPU ? torch.random.get_rng_state() : null;
        object[] vars = [x, new Replay(layer, context, x.requires_grad, state, parameters), .. parameters];
        return apply(vars);
    }

    /// <summary>
    /// <paramref name="model"/>'s recomputation switched to <paramref name="on"/> until disposal (null when off); a model
    /// other than <see cref="LlamaForCausalLM"/> cannot recompute.
    /// </summary>
    public static IDisposable? During(nn.Module model, bool on) => !on ? null
        : model is LlamaForCausalLM llama ? llama.Recomputing(true)
        : throw new ArgumentException($"gradient checkpointing needs a LlamaForCausalLM, got {model.GetType().Name}", nameof(model));

    /// <inheritdoc />
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var replay = (Replay)vars[1];
        ctx.save_for_backward([x]);
        ctx.save_data(ReplayKey, replay);
        using var scope = NewDisposeScope();                                          // frees the layer's intermediates now
        return replay.Layer.call(x, replay.Context).MoveToOuterDisposeScope();        // (B, T, d), no graph
    }

    /// <inheritdoc />
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var replay = (Replay)ctx.get_data(ReplayKey);
        using var scope = NewDisposeScope();
        var entry = ctx.get_saved_variables()[0].detach().requires_grad_(replay.InputRequiresGrad);   // (B, T, d)
        Tensor output;
        using (enable_grad()) output = Recompute(replay, entry);                     // (B, T, d), with graph
        List<Tensor> inputs = replay.InputRequiresGrad ? [entry, .. replay.Parameters] : [.. replay.Parameters];
        var gradients = inputs.Count == 0 ? [] : autograd.grad([output], inputs, [gradOutput], allow_unused: true);
        // One entry per forward argument: the input's gradient (none when it needs none), none for the replay, then the parameters'.
        var kept = gradients.Select(g => g is null || g.IsInvalid ? null! : g.MoveToOuterDisposeScope()).ToList();
        if (!replay.InputRequiresGrad) kept.Insert(0, null!);
        kept.Insert(1, null!);
        return kept;
    }

    private static Tensor Recompute(Replay replay, Tensor entry)
    {
        if (replay.RandomState is not { } before) return replay.Layer.call(entry, replay.Context);
        using var after = torch.random.get_rng_state();
        torch.random.set_rng_state(before);
        try
        {
            return replay.Layer.call(entry, replay.Context);
        }
        finally
        {
            torch.random.set_rng_state(after);
        }
    }

    /// <summary>What the backward pass needs to run the layer again.</summary>
    private sealed record Replay(DecoderLayer Layer, AttentionContext Context, bool InputRequiresGrad, Tensor? RandomState,
        IReadOnlyList<Tensor> Parameters);
}
