using LoraPar.Adapters.Peft;
using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Tests.Peft;

public sealed class MergedCheckpointTests : TorchTest
{
    [Fact]
    public void Exported_checkpoint_has_HF_keys_and_a_plain_model_loading_it_computes_the_adapted_output()
    {
        using var adapted = ToyLlama.Small(bias: true);
        using var plain = ToyLlama.Small(seed: 99, bias: true);
        using var tokens = Tokens();
        var hfKeys = adapted.state_dict().Keys.Order().ToList();
        LoraInjector.Inject(adapted, new LoraConfig { R = 4, Sigma = 0.2, Dropout = 0, Targets = LoraTargets.AllLinear }, seed: 2);
        var dir = Path.Combine(Path.GetTempPath(), $"merged-{Guid.NewGuid():N}");
        MergedCheckpoint.Export(adapted, dir, "{\"model_type\": \"llama\"}");

        Assert.Equal("{\"model_type\": \"llama\"}", File.ReadAllText(Path.Combine(dir, "config.json")));
        var weightsPath = Path.Combine(dir, "model.safetensors");
        var state = SafetensorsFile.ReadAll(weightsPath);
        Assert.Equal(hfKeys, state.Keys.Order());
        plain.load_state_dict(state);
        Assert.True(RelativeError(plain.forward(tokens), adapted.forward(tokens)) < 1e-5);
        using (var stream = File.OpenRead(weightsPath))
        {
            var header = new byte[64];
            stream.ReadExactly(header, 0, header.Length);
            Assert.Contains("{\"__metadata__\":{\"format\":\"pt\"}", System.Text.Encoding.ASCII.GetString(header));
        }
        Directory.Delete(dir, true);
    }

    [Fact]
    public void The_export_leaves_the_adapted_model_unchanged()
    {
        using var model = ToyLlama.Small();
        var adapters = LoraInjector.Inject(model, new LoraConfig { R = 2, Sigma = 0.2 }, seed: 2);
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        var merged = MergedCheckpoint.StateDict(model);
        Assert.DoesNotContain(merged.Keys, k => k.Contains("lora_") || k.Contains("base_layer"));
        Assert.All(model.state_dict(), kv => Assert.True(Same(kv.Value, before[kv.Key])));
        Assert.All(adapters.Layers.Values, l => Assert.False(l.Merged));
    }

    [Fact]
    public void A_config_that_is_not_json_is_refused() =>
        Assert.Throws<BadInputException>(() => MergedCheckpoint.Export(ToyLlama.Small(), Path.GetTempPath(), "not json"));
}
