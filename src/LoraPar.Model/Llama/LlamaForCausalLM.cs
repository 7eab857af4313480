using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoraPar.Model.Llama;

/// <summary>
/// A LLaMA-family causal language model (LLaMA-2/3, Qwen2): <c>model</c> (the decoder stack) and <c>lm_head</c>.
/// Parameters are created uninitialised on <see cref="Device"/> in <see cref="DType"/>; fill them from a checkpoint
/// (<c>HfCheckpoint</c>) or an initialiser (<see cref="WeightInitializer"/>). Knows nothing of adapters: the LoRA injector swaps
/// projections by module path.
/// </summary>
public sealed class LlamaForCausalLM : Module<Tensor, Tensor>, IFusibleProjections
{
    public readonly LlamaModel model;
    public Module<Tensor, Tensor> lm_head;

    private readonly FusionSlots _fusion = new();   // [0] lm_head

    /// <summary>The config the model was built from.</summary>
    public LlamaConfig Config { get; }

    public LlamaForCausalLM(LlamaConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(LlamaForCausalLM))
    {
        Config = config.Validated();
        var type = dtype ?? config.TorchDType;
        if (!DTypeNames.Supported.Contains(type)) throw new ArgumentException($"unsupported model dtype {type}", nameof(dtype));
        var where = device ?? CPU;
        model = new LlamaModel(config, type, where);
        lm_head = config.TieWordEmbeddings
            ? Linear(model.embed_tokens.weight)
            : ParameterFactory.Linear(config.HiddenSize, config.VocabSize, false, type, where);
        RegisterComponents();
    }

    /// <summary>The device the parameters live on.</summary>
    public Device Device => model.embed_tokens.weight.device;

    /// <summary>The parameters' dtype.</summary>
    public ScalarType DType => model.embed_tokens.weight.dtype;

    /// <summary>Logits (B, T, V) of a causal pass over <paramref name="inputIds"/> (B, T) without padding or cache.</summary>
    public override Tensor forward(Tensor inputIds) => Head(model.forward(inputIds));

    /// <summary>Logits (B, T, V), or (B, 1, V) with <see cref="CausalLMInput.LastPositionOnly"/>.</summary>
    public Tensor Forward(CausalLMInput input) => Head(model.Forward(input));

    private Tensor Head(Tensor hidden) => _fusion[0]?.TryProject(hidden, lm_head) is [var logits] ? logits : lm_head.call(hidden);  // (B, T, V)

    /// <summary>
    /// Switches gradient checkpointing (<see cref="LlamaModel.GradientCheckpointing"/>) to <paramref name="on"/> until the
    /// returned scope is disposed, which restores the previous setting.
    /// </summary>
    public IDisposable Recomputing(bool on)
    {
        var before = model.GradientCheckpointing;
        model.GradientCheckpointing = on;
        return new Restore(() => model.GradientCheckpointing = before);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    /// <summary>A KV cache sized for <paramref name="batch"/> rows of <paramref name="capacity"/> positions, on this model's device and dtype.</summary>
    public KvCache NewCache(long batch, long capacity) => new(Config, batch, capacity, DType, Device);

    /// <summary>
    /// Opens an inference session in which q/k/v and gate/up each run as one matmul over a fused copy of their weights
    /// (see <see cref="ProjectionFusion"/>); the weights must not change until it is disposed. Large weights are streamed
    /// by <paramref name="threads"/> threads (default: LibTorch's intra-op thread count).
    /// </summary>
    public ProjectionFusion FuseProjections(int? threads = null) => new(this, threads ?? torch.get_num_threads());

    bool IFusibleProjections.Fuse(int threads) => _fusion.Open(threads, [lm_head]);

    void IFusibleProjections.Unfuse() => _fusion.Dispose();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _fusion.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>The HF state dict: every tensor under its checkpoint key (lm_head.weight left out when tied to the embedding).</summary>
    public Dictionary<string, Tensor> CheckpointTensors()
    {
        var tensors = state_dict();
        if (Config.TieWordEmbeddings) tensors.Remove("lm_head.weight");
        return tensors;
    }
}
