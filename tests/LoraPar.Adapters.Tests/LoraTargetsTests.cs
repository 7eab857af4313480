using System.Text.Json.Nodes;
using LoraPar.Adapters.Peft;
using LoraPar.Core;

namespace LoraPar.Adapters.Tests;

public sealed class LoraTargetsTests : TorchTest
{
    /// <summary>
    /// PEFT's own cases for <c>check_target_module_exists</c> (tests/test_tuners_utils.py, <c>TEST_CASES</c>), those without
    /// <c>layers_to_transform</c> (lorapar has no layer filter) and without an empty list (no selection): key, target_modules
    /// (a list written with '|' between names, or <c>re:</c> and a string, which PEFT treats as a regular expression), expected.
    /// </summary>
    [Theory]
    [InlineData("", "foo", false)]
    [InlineData("foo", "foo", true)]
    [InlineData("foo", "bar", false)]
    [InlineData("foo", "foo|bar", true)]
    [InlineData("foo", "re:foo", true)]
    [InlineData("foo", "re:.*oo", true)]
    [InlineData("foo", "re:fo.*", true)]
    [InlineData("foo", "re:.*bar.*", false)]
    [InlineData("foobar", "re:.*oba.*", true)]
    [InlineData("transformer.h.1.attn.attention.q_proj.foo", "q_proj", false)]
    [InlineData("transformer.h.1.attn.attention.q_proj", "q_proj", true)]
    [InlineData("transformer.h.1.attn.attention.q_proj", "q_proj|v_proj", true)]
    [InlineData("transformer.h.1.attn.attention.resid_dropout", "q_proj|v_proj", false)]
    [InlineData("foo.bar.q_proj", "q_proj", true)]
    public void Module_paths_match_as_in_PEFT(string key, string targets, bool expected)
    {
        var selection = targets.StartsWith("re:", StringComparison.Ordinal)
            ? LoraTargets.Regex(targets[3..])
            : LoraTargets.Explicit(targets.Split('|'));
        Assert.Equal(expected, selection.MatchesPath(key));
    }

    [Fact]
    public void A_suffix_matches_only_after_a_dot_and_a_regex_must_match_the_whole_path()
    {
        Assert.False(LoraTargets.Explicit("proj").MatchesPath("model.layers.0.self_attn.q_proj"));
        Assert.True(LoraTargets.Explicit("self_attn.q_proj").MatchesPath("model.layers.0.self_attn.q_proj"));
        Assert.False(LoraTargets.Explicit("self_attn.q_proj").MatchesPath("model.layers.0.self_attn.k_proj"));
        Assert.False(LoraTargets.Regex("q_proj").MatchesPath("model.layers.0.self_attn.q_proj"));
        Assert.True(LoraTargets.Regex(@".*\.0\..*q_proj").MatchesPath("model.layers.0.self_attn.q_proj"));
        Assert.False(LoraTargets.Regex(@".*\.0\..*q_proj").MatchesPath("model.layers.10.self_attn.q_proj"));
    }

    [Theory]
    [InlineData(@".*layers\.1\..*_proj", LoraTargetKind.Regex)]
    [InlineData("self_attn.q_proj,mlp.down_proj", LoraTargetKind.Explicit)]
    [InlineData("qkvgud", LoraTargetKind.Qkvgud)]
    [InlineData("all-linear", LoraTargetKind.AllLinear)]
    public void A_manifest_string_is_a_preset_names_or_a_regex_and_prints_back_the_same(string written, LoraTargetKind kind)
    {
        var targets = LoraTargets.FromSetting([written]);
        Assert.Equal((kind, written), (targets.Kind, targets.SettingText));
        Assert.Equal(targets, LoraTargets.FromSetting([targets.SettingText]));
    }

    [Theory]
    [InlineData("self_attn.q_prj", "unknown value 'self_attn.q_prj'")]
    [InlineData("(q_proj", "is not a valid regular expression")]
    public void Misspelt_names_and_broken_expressions_are_bad_input(string written, string expected) =>
        Assert.Contains(expected, Assert.Throws<BadInputException>(() => LoraTargets.FromSetting([written])).Message);

    [Fact]
    public void A_regex_selects_modules_of_one_layer_and_all_linear_leaves_out_the_head()
    {
        using var model = ToyLlama.Small();
        var adapters = LoraInjector.Inject(model, new LoraConfig { R = 2, Targets = LoraTargets.FromSetting([@"model\.layers\.1\..*(o|down)_proj"]) }, seed: 1);
        Assert.Equal(["model.layers.1.mlp.down_proj", "model.layers.1.self_attn.o_proj"], adapters.Layers.Keys.Order(StringComparer.Ordinal));
        using var other = ToyLlama.Small();
        var all = LoraInjector.Inject(other, new LoraConfig { R = 2, Targets = LoraTargets.AllLinear }, seed: 1);
        Assert.Equal(14, all.Layers.Count);
        Assert.DoesNotContain("lm_head", all.Layers.Keys);
        Assert.Equal(["down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"], all.TargetModules);
    }

    [Fact]
    public void Export_writes_target_modules_as_PEFT_reads_them_and_they_read_back()
    {
        using var model = ToyLlama.Small();
        var regex = new LoraConfig { R = 2, Targets = LoraTargets.Regex(@"model\.layers\.0\.self_attn\.(q|v)_proj") };
        var suffixes = new LoraConfig { R = 2, Targets = LoraTargets.Explicit("layers.1.mlp.up_proj", "o_proj") };
        foreach (var config in (LoraConfig[])[regex, suffixes])
        {
            using var fresh = ToyLlama.Small();
            var adapters = LoraInjector.Inject(fresh, config, seed: 2);
            var json = JsonNode.Parse(PeftAdapterConfig.ToJson(adapters.Config, adapters.TargetModules, "b"))!["target_modules"]!;
            if (config == regex) Assert.Equal(@"model\.layers\.0\.self_attn\.(q|v)_proj", json.GetValue<string>());
            else Assert.Equal(["layers.1.mlp.up_proj", "o_proj"], json.AsArray().Select(n => n!.GetValue<string>()));
            var (read, _, _) = PeftAdapterConfig.Parse(PeftAdapterConfig.ToJson(adapters.Config, adapters.TargetModules, "b"), "a.json");
            Assert.Equal(config.Targets, read.Targets);
        }
        Assert.Equal(3, LoraInjector.Inject(model, suffixes, seed: 2).Layers.Count);   // up_proj of layer 1, o_proj of both layers
    }
}
