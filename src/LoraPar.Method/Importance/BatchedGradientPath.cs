using LoraPar.Adapters;
using LoraPar.Model.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Importance;

/// <summary>
/// <see cref="GradientPath.Batched"/>: the adapters are swapped for <see cref="CapturingLoraLinear"/> wrappers (merged weight
/// for float32 layers, see <see cref="LoraCaptureForm"/>); per batch, one forward, one <c>autograd.grad(Σₖ Lₖ, [capture
/// output of every layer])</c> that gives ∂L/∂y everywhere, then <see cref="PerExampleLoraGradients.Compute"/>. Batches come
/// length-sorted (<see cref="ScoringSample.Batches"/>), so padding is a few per cent of the tokens.
/// </summary>
internal sealed class BatchedGradientPath(LlamaForCausalLM model, LoraAdapterSet adapters, int batchSize, LoraCaptureForm? form)
    : IPerExampleGradientPath
{
    private readonly LoraCaptureSession session = new(model, adapters, form);

    public int BatchSize { get; } = batchSize;

    public Dictionary<string, Tensor> Gradients(AnswerBatch batch)
    {
        session.Clear();
        var losses = GradientPaths.Losses(model, batch);                                   // (B)
        var captures = session.Layers.Select(l => l.Layer.Last
            ?? throw new InvalidOperationException($"the LoRA layer '{l.Path}' took no part in the forward pass")).ToList();
        var outputGradients = torch.autograd.grad([losses.sum()], captures.Select(c => c.Output).ToList(), allow_unused: true);
        var result = new Dictionary<string, Tensor>();
        for (var i = 0; i < captures.Count; i++)
        {
            var (path, layer) = session.Layers[i];
            var gy = GradientPaths.OrZeros(outputGradients[i], captures[i].Output);         // (B, T, out)
            var pair = PerExampleLoraGradients.Compute(captures[i].Input, captures[i].Rank, gy, layer.B, layer.Scaling);
            foreach (var (key, gradient) in pair.Keyed(path)) result[key] = gradient;    // (B, r, in) and (B, out, r)
        }
        session.Clear();
        return result;
    }

    public void Dispose() => session.Dispose();
}
