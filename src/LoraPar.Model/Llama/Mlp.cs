using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoraPar.Model.Llama;

/// <summary>SwiGLU feed-forward block: down(silu(gate(x)) ⊙ up(x)).</summary>
public sealed class Mlp : Module<Tensor, Tensor>, IProjectionHost
{
    public Module<Tensor, Tensor> gate_proj;
    public Module<Tensor, Tensor> up_proj;
    public Module<Tensor, Tensor> down_proj;

    public Mlp(LlamaConfig config, ScalarType dtype, Device device) : base("mlp")
    {
        long d = config.HiddenSize, hidden = config.IntermediateSize;
        gate_proj = ParameterFactory.Linear(d, hidden, config.MlpBias, dtype, device);
        up_proj = ParameterFactory.Linear(d, hidden, config.MlpBias, dtype, device);
        down_proj = ParameterFactory.Linear(hidden, d, config.MlpBias, dtype, device);
        RegisterComponents();
    }

    /// <summary>(B, T, d) → (B, T, d) through (B, T, intermediate).</summary>
    public override Tensor forward(Tensor x)
    {
        var gated = functional.silu(gate_proj.call(x));                                   // (B, T, I)
        var product = torch.is_grad_enabled() ? gated * up_proj.call(x) : gated.mul_(up_proj.call(x));  // (B, T, I)
        return down_proj.call(product);                                                    // (B, T, d)
    }

    public IReadOnlyList<ProjectionKind> Kinds { get; } = [ProjectionKind.Gate, ProjectionKind.Up, ProjectionKind.Down];

    public Module<Tensor, Tensor> GetProjection(ProjectionKind kind) => kind switch
    {
        ProjectionKind.Gate => gate_proj,
        ProjectionKind.Up => up_proj,
        ProjectionKind.Down => down_proj,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "the MLP holds gate, up and down only"),
    };

    public void SetProjection(ProjectionKind kind, Module<Tensor, Tensor> module)
    {
        _ = GetProjection(kind);
        switch (kind)
        {
            case ProjectionKind.Gate: gate_proj = module; break;
            case ProjectionKind.Up: up_proj = module; break;
            default: down_proj = module; break;
        }
        _internal_submodules[ProjectionNames.ModuleName(kind)] = module;
    }
}
