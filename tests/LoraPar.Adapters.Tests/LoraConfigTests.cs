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
        Assert.Equal(16.0, new LoraConfig { R = 16, Alpha = 64, UseRsLora = true }.Scaling);
    }

    [Fact]
    public void Invalid_values_are_all_reported_at_once()
    {
        var bad = new LoraConfig { R = 0, Alpha = -1, Dropout = 1, PissaNiter = 2, Init = LoraInit.Lora };
        var e = Assert.Throws<BadInputException>(() => bad.Validated());
        Assert.Contains("r = 0", e.Message);
        Assert.Contains("lora_alpha = -1", e.Message);
        Assert.Contains("lora_dropout = 1", e.Message);
        Assert.Contains("pissa_niter is only meaningful", e.Message);
    }

    [Theory]
    [InlineData("lora", LoraInit.Lora)]
    [InlineData("gaussian-both", LoraInit.GaussianBoth)]
    [InlineData("PiSSA", LoraInit.Pissa)]
    [InlineData("olora", LoraInit.Olora)]
    public void Init_names_parse(string name, LoraInit expected) => Assert.Equal(expected, LoraInitNames.Parse(name));

    [Fact]
    public void Unknown_init_lists_the_choices() =>
        Assert.Contains("lora, gaussian-both, pissa, olora", Assert.Throws<BadInputException>(() => LoraInitNames.Parse("loftq")).Message);

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
