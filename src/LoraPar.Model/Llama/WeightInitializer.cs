using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Llama;

/// <summary>
/// HF's LLaMA initialisation, seeded: linear and embedding weights ~ N(0, initializer_range²), biases 0, norm weights 1.
/// Values are drawn on the CPU in float32 in parameter order and then copied, so a seed gives the same model on every device.
/// </summary>
public static class WeightInitializer
{
    /// <summary>Fills every parameter of <paramref name="model"/> from <paramref name="seed"/>.</summary>
    public static void Initialize(LlamaForCausalLM model, long seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        using var noGrad = torch.no_grad();
        var std = model.Config.InitializerRange;
        foreach (var (name, parameter) in model.named_parameters())
        {
            using var scope = torch.NewDisposeScope();
            var kind = Classify(name);
            var values = kind switch
            {
                ParameterRole.Norm => torch.ones(parameter.shape),
                ParameterRole.Bias => torch.zeros(parameter.shape),
                _ => HeldScalars.Normal(0.0, std, parameter.shape, generator),
            };
            parameter.copy_(values);
        }
    }

    private enum ParameterRole
    {
        Weight,
        Bias,
        Norm,
    }

    private static ParameterRole Classify(string name) =>
        name.EndsWith(".bias", StringComparison.Ordinal) ? ParameterRole.Bias
        : name.EndsWith("norm.weight", StringComparison.Ordinal) ? ParameterRole.Norm
        : ParameterRole.Weight;
}
