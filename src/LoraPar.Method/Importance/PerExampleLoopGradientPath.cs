using LoraPar.Adapters;
using LoraPar.Model.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Importance;

/// <summary>
/// <see cref="GradientPath.PerExampleLoop"/>: the model as it is (the real <see cref="LoraLinear"/> modules); per example,
/// one forward and one <c>autograd.grad(Lₖ, [every LoRA parameter])</c>. The parameters require grad for the duration.
/// </summary>
internal sealed class PerExampleLoopGradientPath : IPerExampleGradientPath
{
    private readonly LlamaForCausalLM model;
    private readonly IReadOnlyList<(string Key, TorchSharp.Modules.Parameter Tensor, bool RequiredGrad)> parameters;

    public PerExampleLoopGradientPath(LlamaForCausalLM model, LoraAdapterSet adapters)
    {
        foreach (var (path, layer) in adapters.Layers)
            if (layer.Merged || !layer.Enabled)
                throw new InvalidOperationException($"cannot score the LoRA layer '{path}': it is {(layer.Merged ? "merged" : "disabled")}");
        this.model = model;
        parameters = adapters.Tensors.Select(kv => (kv.Key, kv.Value, kv.Value.requires_grad)).ToList();
        foreach (var p in parameters) p.Tensor.requires_grad = true;
    }

    public int BatchSize => 1;

    public Dictionary<string, Tensor> Gradients(AnswerBatch batch)
    {
        if (batch.Size != 1) throw new ArgumentException($"the per-example loop takes one example at a time, got {batch.Size}", nameof(batch));
        var loss = GradientPaths.Losses(model, batch).sum();
        var tensors = parameters.Select(p => (Tensor)p.Tensor).ToList();
        var gradients = torch.autograd.grad([loss], tensors, allow_unused: true);
        var result = new Dictionary<string, Tensor>();
        for (var i = 0; i < parameters.Count; i++)
            result[parameters[i].Key] = GradientPaths.OrZeros(gradients[i], tensors[i]).unsqueeze(0);   // (1, ...shape)
        return result;
    }

    public void Dispose()
    {
        foreach (var p in parameters) p.Tensor.requires_grad = p.RequiredGrad;
    }
}
