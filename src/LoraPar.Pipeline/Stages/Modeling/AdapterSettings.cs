using LoraPar.Adapters;
using LoraPar.Pipeline.Manifest.Sections;
using AdapterInit = LoraPar.Adapters.LoraInit;
using AdapterTargets = LoraPar.Adapters.LoraTargets;
using ManifestInit = LoraPar.Pipeline.Manifest.Sections.LoraInit;
using ManifestTargets = LoraPar.Pipeline.Manifest.Sections.LoraTargets;

namespace LoraPar.Pipeline.Stages.Modeling;

/// <summary>Maps the manifest's <c>[lora]</c> section to the adapter library's <see cref="LoraConfig"/>.</summary>
public static class AdapterSettings
{
    /// <summary>The LoRA config of <paramref name="lora"/>, with dropout overridden where given (0 while scoring).</summary>
    public static LoraConfig From(LoraSection lora, double? dropout = null) => new LoraConfig
    {
        R = lora.Rank,
        Alpha = lora.Alpha,
        Dropout = dropout ?? lora.Dropout,
        Init = lora.Init switch
        {
            ManifestInit.GaussianBoth => AdapterInit.GaussianBoth,
            ManifestInit.Kaiming => AdapterInit.Lora,
            ManifestInit.Pissa => AdapterInit.Pissa,
            _ => AdapterInit.Olora,
        },
        Sigma = lora.InitStd,
        Targets = lora.Targets switch
        {
            ManifestTargets.Qkv => AdapterTargets.Qkv,
            ManifestTargets.Gud => AdapterTargets.Gud,
            _ => AdapterTargets.Qkvgud,
        },
    }.Validated();
}
