using TorchSharp;

namespace LoraPar.Model.Llama;

/// <summary>Maps the floating dtypes lorapar supports to and from their names in config.json (<c>torch_dtype</c>).</summary>
public static class DTypeNames
{
    /// <summary>The dtypes a model may be held in.</summary>
    public static IReadOnlyList<torch.ScalarType> Supported { get; } =
        [torch.ScalarType.Float32, torch.ScalarType.BFloat16, torch.ScalarType.Float16];

    /// <summary>"float32" / "bfloat16" / "float16" (also "float", "half", "bf16", "fp16", "fp32"); null when unknown.</summary>
    public static torch.ScalarType? Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "float32" or "float" or "fp32" or "torch.float32" => torch.ScalarType.Float32,
        "bfloat16" or "bf16" or "torch.bfloat16" => torch.ScalarType.BFloat16,
        "float16" or "half" or "fp16" or "torch.float16" => torch.ScalarType.Float16,
        _ => null,
    };

    /// <summary>The config.json name of <paramref name="dtype"/>.</summary>
    public static string Name(torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.Float32 => "float32",
        torch.ScalarType.BFloat16 => "bfloat16",
        torch.ScalarType.Float16 => "float16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "lorapar models are float32, bfloat16 or float16"),
    };
}
