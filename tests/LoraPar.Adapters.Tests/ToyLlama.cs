using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoraPar.Adapters.Tests;

/// <summary>
/// A tiny module tree with the LLaMA naming contract (HF keys as module names, projections typed Module&lt;Tensor, Tensor&gt;):
/// model.embed_tokens, model.layers.{i}.self_attn.{q,k,v,o}_proj, model.layers.{i}.mlp.{gate,up,down}_proj, model.norm, lm_head.
/// Not a real transformer (no attention softmax), just enough structure to route a tensor through every projection.
/// </summary>
internal sealed class ToyLlama : Module<Tensor, Tensor>
{
    private readonly ToyModel model;
    private readonly Module<Tensor, Tensor> lm_head;

    public ToyLlama(int vocab, int hidden, int intermediate, int layers, long seed, bool bias = false, ScalarType dtype = ScalarType.Float32)
        : base(nameof(ToyLlama))
    {
        model = new ToyModel(vocab, hidden, intermediate, layers, bias, dtype);
        lm_head = Linear(hidden, vocab, hasBias: false, dtype: dtype);
        RegisterComponents();
        Fill(seed);
    }

    /// <summary>Sets every parameter from a local generator (the global RNG is shared by tests running in parallel).</summary>
    private void Fill(long seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        using var noGrad = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith("norm.weight")) p.fill_(1);
            else if (p.dim() == 2) p.uniform_(-1 / Math.Sqrt(p.shape[1]), 1 / Math.Sqrt(p.shape[1]), generator);
            else p.uniform_(-0.1, 0.1, generator);
        }
    }

    public static ToyLlama Small(long seed = 7, bool bias = false) => new(vocab: 40, hidden: 32, intermediate: 48, layers: 2, seed, bias);

    public override Tensor forward(Tensor tokens) => lm_head.forward(model.forward(tokens));  // (B, T) → (B, T, V)

    private sealed class ToyModel : Module<Tensor, Tensor>
    {
        private readonly Embedding embed_tokens;
        private readonly ModuleList<ToyLayer> layers;
        private readonly LayerNorm norm;

        public ToyModel(int vocab, int hidden, int intermediate, int count, bool bias, ScalarType dtype) : base(nameof(ToyModel))
        {
            embed_tokens = Embedding(vocab, hidden, dtype: dtype);
            layers = new ModuleList<ToyLayer>(Enumerable.Range(0, count).Select(_ => new ToyLayer(hidden, intermediate, bias, dtype)).ToArray());
            norm = LayerNorm(hidden, dtype: dtype);
            RegisterComponents();
        }

        public override Tensor forward(Tensor tokens)
        {
            var h = embed_tokens.forward(tokens);                       // (B, T, D)
            foreach (var layer in layers) h = layer.forward(h);
            return norm.forward(h);
        }
    }

    private sealed class ToyLayer : Module<Tensor, Tensor>
    {
        private readonly ToyAttention self_attn;
        private readonly ToyMlp mlp;

        public ToyLayer(int hidden, int intermediate, bool bias, ScalarType dtype) : base(nameof(ToyLayer))
        {
            self_attn = new ToyAttention(hidden, bias, dtype);
            mlp = new ToyMlp(hidden, intermediate, bias, dtype);
            RegisterComponents();
        }

        public override Tensor forward(Tensor h)
        {
            var a = h + self_attn.forward(h);
            return a + mlp.forward(a);
        }
    }

    private sealed class ToyAttention : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> q_proj, k_proj, v_proj, o_proj;

        public ToyAttention(int d, bool bias, ScalarType dtype) : base(nameof(ToyAttention))
        {
            q_proj = Linear(d, d, hasBias: bias, dtype: dtype);
            k_proj = Linear(d, d, hasBias: bias, dtype: dtype);
            v_proj = Linear(d, d / 2, hasBias: bias, dtype: dtype);
            o_proj = Linear(d / 2, d, hasBias: bias, dtype: dtype);
            RegisterComponents();
        }

        public override Tensor forward(Tensor h)
        {
            var scores = q_proj.forward(h).matmul(k_proj.forward(h).transpose(1, 2)).div(8).softmax(-1);  // (B, T, T)
            return o_proj.forward(scores.matmul(v_proj.forward(h)));                                   // (B, T, D/2) → (B, T, D)
        }
    }

    private sealed class ToyMlp : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> gate_proj, up_proj, down_proj;

        public ToyMlp(int d, int inner, bool bias, ScalarType dtype) : base(nameof(ToyMlp))
        {
            gate_proj = Linear(d, inner, hasBias: bias, dtype: dtype);
            up_proj = Linear(d, inner, hasBias: bias, dtype: dtype);
            down_proj = Linear(inner, d, hasBias: bias, dtype: dtype);
            RegisterComponents();
        }

        public override Tensor forward(Tensor h) =>
            down_proj.forward(functional.silu(gate_proj.forward(h)) * up_proj.forward(h));   // (B, T, I) → (B, T, D)
    }
}

/// <summary>Initialises TorchSharp once for the test classes that use tensors.</summary>
public abstract class TorchTest
{
    protected TorchTest() => LoraPar.Model.Runtime.TorchRuntime.EnsureInitialized();

    /// <summary>max |a − b| / max |b|.</summary>
    protected static double RelativeError(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var diff = (actual.to_type(ScalarType.Float64) - expected.to_type(ScalarType.Float64)).abs().max().item<double>();
        return diff / Math.Max(expected.abs().max().to_type(ScalarType.Float64).item<double>(), 1e-30);
    }

    /// <summary>Whether two tensors are elementwise equal (bit-identical for finite values).</summary>
    protected static bool Same(Tensor a, Tensor b)
    {
        using var eq = a.eq(b);
        using var all = eq.all();
        return a.shape.SequenceEqual(b.shape) && all.item<bool>();
    }

    /// <summary>A fixed batch of token ids (2, 5).</summary>
    protected static Tensor Tokens(int vocab = 40) => tensor(new long[] { 1, 5, 9, 3, 7, 2, 8, 4, 6, 0 }.Select(t => t % vocab).ToArray()).reshape(2, 5);
}
