using System.Text.Json.Nodes;
using LoraPar.Adapters;
using LoraPar.Adapters.Export;
using LoraPar.Adapters.Peft;
using LoraPar.Method.Partition;
using LoraPar.Model.Checkpoints;
using LoraPar.Pipeline.Export;
using static TorchSharp.torch;

namespace LoraPar.Pipeline.Tests.Export;

public sealed class RunExporterTests
{
    private static readonly LoraConfig Gaussian = new() { R = 4, Alpha = 8, Dropout = 0, Init = LoraInit.GaussianBoth, Sigma = 0.05 };

    [Fact]
    public void The_exported_adapter_reloads_bit_identically_and_names_the_hub_base()
    {
        using var fixture = new ExportFixture(Gaussian, hubId: "org/tiny-base");
        var exported = RunExporter.Export(fixture.Run, new ExportOptions(ExportFormat.Peft, []), fixture.Out);
        Assert.Null(exported.Merged);
        var reloaded = PeftAdapterFormat.Load(exported.Adapter!);
        var trained = PeftAdapterFormat.Load(fixture.Run.AdapterFolder);
        Assert.Equal(trained.Tensors.Keys.Order(), reloaded.Tensors.Keys.Order());
        foreach (var (key, value) in trained.Tensors) Assert.True(value.bytes.SequenceEqual(reloaded.Tensors[key].bytes) && value.shape.SequenceEqual(reloaded.Tensors[key].shape), key);
        Assert.Equal((4, 8.0, Gaussian.Scaling), (reloaded.Config.R, reloaded.Config.Alpha, reloaded.Config.Scaling));
        Assert.Equal("org/tiny-base", reloaded.BaseModelNameOrPath);
        var card = File.ReadAllText(Path.Combine(exported.Adapter!, "README.md"));
        Assert.StartsWith("---\nbase_model: org/tiny-base\nlibrary_name: peft\n", card);
    }

    [Fact]
    public void The_merged_checkpoint_computes_the_logits_of_base_plus_adapter_and_shards_like_transformers()
    {
        using var fixture = new ExportFixture(Gaussian);
        var exported = RunExporter.Export(fixture.Run, new ExportOptions(ExportFormat.Merged, [], MaxShardBytes: 40_000), fixture.Out);
        Assert.Null(exported.Adapter);
        var (model, _) = fixture.Injected(trained: true);
        using var tokens = ExportFixture.Tokens();
        using var expected = model.forward(tokens);
        model.Dispose();
        using var merged = HfCheckpoint.Load(exported.Merged!);
        merged.eval();
        using var actual = merged.forward(tokens);
        Assert.True(MaxRelativeError(actual, expected) < 1e-5);
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(exported.Merged!, CheckpointSources.IndexFile)))!;
        var shards = index["weight_map"]!.AsObject().Select(kv => kv.Value!.GetValue<string>()).Distinct().ToList();
        Assert.True(shards.Count > 1);
        Assert.All(shards, s => Assert.True(File.Exists(Path.Combine(exported.Merged!, s))));
        Assert.DoesNotContain(index["weight_map"]!.AsObject(), kv => kv.Key.Contains("lora_") || kv.Key.Contains("base_layer"));
        Assert.Equal(File.ReadAllText(Path.Combine(fixture.BaseFolder, "tokenizer_config.json")),
            File.ReadAllText(Path.Combine(exported.Merged!, "tokenizer_config.json")));
        Assert.True(File.Exists(Path.Combine(exported.Merged!, HfCheckpoint.GenerationConfigFile)));
    }

    [Theory]
    [InlineData(LoraInit.Pissa, false)]
    [InlineData(LoraInit.Pissa, true)]
    [InlineData(LoraInit.Olora, false)]
    public void A_converted_pissa_or_olora_adapter_on_the_original_base_reproduces_the_trained_model(LoraInit init, bool rslora)
    {
        using var fixture = new ExportFixture(new LoraConfig { R = 4, Alpha = 8, Dropout = 0, Init = init, UseRslora = rslora });
        var exported = RunExporter.Export(fixture.Run, new ExportOptions(ExportFormat.Both, []), fixture.Out);
        var (trainedModel, _) = fixture.Injected(trained: true);
        using var tokens = ExportFixture.Tokens();
        using var expected = trainedModel.forward(tokens);
        trainedModel.Dispose();

        var converted = PeftAdapterFormat.Load(exported.Adapter!);
        Assert.Equal(8, converted.Config.R);
        Assert.Equal(rslora ? 8 * Math.Sqrt(2) : 16, converted.Config.Alpha, 12);
        Assert.Equal(LoraInit.Kaiming, converted.Config.Init);              // plain LoRA: the runtime leaves the base untouched
        using var original = HfCheckpoint.Load(fixture.BaseFolder);
        original.eval();
        LoraInjector.Inject(original, converted.Config, seed: 1).Load(converted.Tensors, exported.Adapter!);
        using var actual = original.forward(tokens);
        Assert.True(MaxRelativeError(actual, expected) < 1e-5);

        using var merged = HfCheckpoint.Load(exported.Merged!);
        merged.eval();
        using var fromMerged = merged.forward(tokens);
        Assert.True(MaxRelativeError(fromMerged, expected) < 1e-5);
    }

    [Fact]
    public void Each_region_keeps_its_own_trained_elements_and_the_initial_values_elsewhere()
    {
        using var fixture = new ExportFixture(Gaussian);
        var exported = RunExporter.Export(fixture.Run, new ExportOptions(ExportFormat.Peft, AdapterRegions.All), fixture.Out);
        Assert.Equal(["shared", "system1-only", "system2-only"], exported.Regions.Values.Select(Path.GetFileName).Order());
        var (model, fresh) = fixture.Injected(trained: false);
        using var _ = model;
        var trained = PeftAdapterFormat.Load(fixture.Run.AdapterFolder).Tensors;
        using var masks = fixture.Masks();
        var regions = exported.Regions.ToDictionary(r => r.Key, r => PeftAdapterFormat.Load(r.Value).Tensors);
        foreach (var (key, initial) in fresh.Tensors)
        {
            var (s1, s2) = (masks.For(TrainingStage.Stage1)[key].data<bool>().ToArray(), masks.For(TrainingStage.Stage2)[key].data<bool>().ToArray());
            var (t, i) = (trained[key].data<float>().ToArray(), initial.data<float>().ToArray());
            var values = regions.ToDictionary(r => r.Key, r => r.Value[key].data<float>().ToArray());
            for (var n = 0; n < t.Length; n++)
            {
                var owner = (s1[n], s2[n]) switch
                {
                    (true, false) => AdapterRegion.System1Only,
                    (false, true) => AdapterRegion.System2Only,
                    (true, true) => AdapterRegion.Shared,
                    _ => (AdapterRegion?)null,
                };
                foreach (var (region, v) in values) Assert.Equal(region == owner ? t[n] : i[n], v[n]);
            }
        }
        Assert.Contains("System-1 region alone", File.ReadAllText(Path.Combine(exported.Regions[AdapterRegion.System1Only], "README.md")));
    }

    private static double MaxRelativeError(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var diff = actual.to_type(ScalarType.Float64).sub(expected.to_type(ScalarType.Float64)).abs().max().item<double>();
        return diff / expected.abs().max().to_type(ScalarType.Float64).item<double>();
    }
}
