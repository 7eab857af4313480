using LoraPar.Core;
using LoraPar.Pipeline.Manifest;

namespace LoraPar.Pipeline.Tests.Manifest;

/// <summary>Gradient checkpointing's load-time rules: not with LoRA dropout on CUDA, not on the batched importance path; a cosmetic key.</summary>
public sealed class GradientCheckpointingRuleTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("lorapar-recompute-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private LoadedManifest Load(string toml)
    {
        var path = Path.Combine(folder, "m.toml");
        File.WriteAllText(path, "artifacts = \"art\"\n" + toml);
        return ManifestLoader.Load(path, new ManifestLoadOptions(folder, PathCheckMode.Warnings));
    }

    [Fact]
    public void Recomputation_with_lora_dropout_on_cuda_is_refused_at_its_key()
    {
        var error = Assert.Throws<BadInputException>(() => Load("device = \"cuda\"\n[lora]\ndropout = 0.05\n[sft]\ngradient_checkpointing = true\n"));
        Assert.Contains("m.toml:6:1 sft.gradient_checkpointing: on CUDA the recompute cannot replay LoRA dropout masks", error.Message);
        Load("device = \"cuda\"\n[lora]\ndropout = 0\n[sft]\ngradient_checkpointing = true\n[rl]\ngradient_checkpointing = true\n");
        Load("device = \"cpu\"\n[lora]\ndropout = 0.05\n[rl]\ngradient_checkpointing = true\n");
    }

    [Fact]
    public void Importance_recomputes_only_on_the_per_example_loop()
    {
        var error = Assert.Throws<BadInputException>(() => Load("[importance]\ngradient_checkpointing = true\n"));
        Assert.Contains("importance.gradient_checkpointing", error.Message);
        Load("[importance]\ngradient_checkpointing = true\ngradient_path = \"per-example-loop\"\n");
    }

    [Fact]
    public void The_keys_are_cosmetic()
    {
        var plain = Load("");
        var recomputing = Load("[importance]\ngradient_checkpointing = true\ngradient_path = \"per-example-loop\"\n[sft]\ngradient_checkpointing = true\n[rl]\ngradient_checkpointing = true\n");
        foreach (var section in new[] { "sft", "rl" })
            Assert.Equal(ManifestJson.Select(plain.Manifest, [section]).ToJsonString(), ManifestJson.Select(recomputing.Manifest, [section]).ToJsonString());
        Assert.True(recomputing.Manifest.Sft.GradientCheckpointing && recomputing.Manifest.Rl.GradientCheckpointing);
    }
}
