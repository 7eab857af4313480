using LoraPar.Model.Llama;
using LoraPar.Model.Objectives;
using LoraPar.Training.Guards;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Training.Pretraining;

/// <summary>
/// One optimizer step of pretraining, as the pretrain stage and <c>bench pretrain</c> both run it: step s's windows
/// (<see cref="TokenStream.Windows"/>), next-token cross-entropy over every token, backward, gradient-norm clipping and
/// AdamW (weight decay on matrices only) at the step's learning rate. Owns the optimizer.
/// </summary>
public sealed class PretrainStep : IDisposable
{
    private readonly LlamaForCausalLM model;
    private readonly PretrainOptions options;
    private readonly List<Parameter> parameters;

    public PretrainStep(LlamaForCausalLM model, PretrainOptions options)
    {
        (this.model, this.options) = (model, options);
        parameters = model.parameters().ToList();
        Optimizer = CreateOptimizer(parameters, options);
    }

    /// <summary>The AdamW optimizer (its state is what checkpoints save).</summary>
    public AdamW Optimizer { get; }

    /// <summary>
    /// Trains on step <paramref name="step"/>'s windows of <paramref name="stream"/> at <paramref name="lr"/>; returns the
    /// mean loss and the gradient norm before clipping (NaN when clipping is off). A non-finite loss or norm stops the run
    /// naming <paramref name="lastCheckpoint"/> before the weights change.
    /// </summary>
    public (double Loss, double Norm) Run(TokenStream stream, int step, double lr, string? lastCheckpoint)
    {
        foreach (var group in Optimizer.ParamGroups) group.LearningRate = lr;
        using var scope = NewDisposeScope();
        var ids = tensor(stream.Windows(options.BatchSize, options.SequenceLength, options.Seed, step, options.Alignment),
            [options.BatchSize, options.SequenceLength], ScalarType.Int64).to(model.Device);           // (B, T)
        Optimizer.zero_grad();
        var loss = AnswerOnlyLoss.Mean(model.call(ids), ids);                                          // every next token counts
        var value = (double)loss.item<float>();
        NonFiniteGuard.CheckLoss(value, Pretrainer.StageName, step + 1, options.Steps, lastCheckpoint);
        loss.backward();
        var norm = options.MaxGradNorm > 0 ? nn.utils.clip_grad_norm_(parameters, options.MaxGradNorm) : double.NaN;
        if (options.MaxGradNorm > 0) NonFiniteGuard.CheckGradientNorm(norm, Pretrainer.StageName, step + 1, options.Steps, lastCheckpoint);
        Optimizer.step();
        return (value, norm);
    }

    public void Dispose() => Optimizer.Dispose();

    /// <summary>AdamW with weight decay on matrices (projections, embeddings) and none on vectors (norms, biases), as nanoGPT.</summary>
    private static AdamW CreateOptimizer(List<Parameter> all, PretrainOptions options)
    {
        var matrices = all.Where(p => p.dim() >= 2).ToList();
        var vectors = all.Where(p => p.dim() < 2).ToList();
        AdamW.ParamGroup Group(IEnumerable<Parameter> ps, double decay) =>
            new(ps, options.LearningRate, options.Beta1, options.Beta2, 1e-8, decay, false, false);
        return optim.AdamW([Group(matrices, options.WeightDecay), Group(vectors, 0.0)], options.LearningRate, options.Beta1, options.Beta2, 1e-8, 0.0, false, false);
    }
}
