using LoraPar.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Tests;

public sealed class LoraConfigTests : TorchTest
{
    [Fact]
    public void Scaling_is_alpha_over_r_or_over_root_r()
    {
        Assert.Equal(8.0, new LoraConfig { R = 8, Alpha = 64 }.Scaling);
        Assert.Equal(16.0, new LoraConfig { R = 16, Alpha = 64, UseRslora = true }.Scaling);
    }

    [Fact]
    public void Invalid_values_are_all_reported_at_once()
    {
        var bad = new LoraConfig { R = 0, Alpha = -1, Dropout = 1, PissaNiter = 2, Init = LoraInit.Kaiming };
        var e = Assert.Throws<BadInputException>(() => bad.Validated());
        Assert.Contains("lora.r: 0", e.Message);
        Assert.Contains("lora.alpha: -1", e.Message);
        Assert.Contains("lora.dropout: 1", e.Message);
        Assert.Contains("lora.pissa_niter: only meaningful", e.Message);
    }

    [Theory]
    [InlineData(LoraInit.Kaiming, "kaiming")]
    [InlineData(LoraInit.GaussianBoth, "gaussian-both")]
    [InlineData(LoraInit.Pissa, "pissa")]
    [InlineData(LoraInit.Olora, "olora")]
    public void Init_names_are_the_manifest_spellings(LoraInit init, string expected) => Assert.Equal(expected, init.Name());

    [Theory]
    [InlineData("qkvgud", "qkvgud")]
    [InlineData("q_proj,v_proj", "q_proj,v_proj")]
    [InlineData("all-linear", "all-linear")]
    public void Targets_read_from_a_manifest_value_print_back_the_same(string written, string expected) =>
        Assert.Equal(expected, LoraTargets.FromSetting([written]).SettingText);

    [Fact]
    public void Targets_as_a_list_of_module_names_are_an_explicit_selection()
    {
        var targets = LoraTargets.FromSetting(["o_proj", "q_proj"]);
        Assert.Equal((LoraTargetKind.Explicit, "o_proj,q_proj"), (targets.Kind, targets.SettingText));
        Assert.Same(LoraTargets.Qkv, LoraTargets.FromSetting(["QKV"]));
    }

    [Fact]
    public void Presets_select_the_paper_short_names()
    {
        Assert.Equal(["q_proj", "k_proj", "v_proj"], LoraTargets.Parse("qkv").ShortNames);
        Assert.Equal(["gate_proj", "up_proj", "down_proj"], LoraTargets.Parse("gud").ShortNames);
        Assert.Equal(6, LoraTargets.Parse("qkvgud").ShortNames.Count);
        Assert.Equal(["o_proj"], LoraTargets.Parse("o").ShortNames);
        Assert.Equal(LoraTargets.Qkv, LoraTargets.FromNames(["v_proj", "q_proj", "k_proj"]));
        Assert.Equal(LoraTargets.Explicit("q_proj", "v_proj"), LoraTargets.FromNames(["v_proj", "q_proj"]));
        Assert.Throws<BadInputException>(() => LoraTargets.Parse("qkvo"));
    }

    [Fact]
    public void All_linear_matches_every_linear_but_the_output_head()
    {
        using var model = ToyLlama.Small();
        var matched = model.named_modules().Where(m => LoraTargets.AllLinear.Matches(m.name, m.module)).Select(m => m.name).ToList();
        Assert.Equal(14, matched.Count);
        Assert.DoesNotContain("lm_head", matched);
        Assert.All(matched, m => Assert.IsType<Linear>(ModuleSurgery.Get(model, m)));
    }
}
