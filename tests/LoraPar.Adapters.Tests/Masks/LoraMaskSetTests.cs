using LoraPar.Adapters.Masks;
using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Tests.Masks;

public sealed class LoraMaskSetTests : TorchTest
{
    [Fact]
    public void Counts_active_elements_per_tensor_and_in_total()
    {
        using var masks = new LoraMaskSet(new Dictionary<string, Tensor>
        {
            ["a.lora_A"] = tensor(new[] { true, false, true, true }).reshape(2, 2),
            ["a.lora_B"] = tensor(new[] { false, false, true }).reshape(3, 1),
        });
        Assert.Equal(3, masks.ActiveCounts["a.lora_A"]);
        Assert.Equal(1, masks.ActiveCounts["a.lora_B"]);
        Assert.Equal(4, masks.TotalActive);
        Assert.Equal(7, masks.TotalElements);
    }

    [Fact]
    public void Save_and_load_round_trip_as_bool_safetensors()
    {
        using var model = ToyLlama.Small();
        var adapters = LoraInjector.Inject(model, new LoraConfig { R = 4 }, 1);
        using var masks = LoraMaskSet.Random(adapters.Tensors, 0.4, seed: 9);
        var path = Path.Combine(Path.GetTempPath(), $"masks-{Guid.NewGuid():N}.safetensors");
        masks.Save(path);
        using var loaded = LoraMaskSet.Load(path, CPU);
        loaded.CheckMatches(adapters.Tensors, path);
        Assert.All(masks.Masks, kv => Assert.True(Same(kv.Value, loaded.Masks[kv.Key])));
        Assert.All(loaded.Masks.Values, m => Assert.Equal(ScalarType.Bool, m.dtype));
        Assert.Equal(masks.ActiveCounts, loaded.ActiveCounts);
        using (var stream = File.OpenRead(path))
        {
            var header = new byte[256];
            stream.ReadExactly(header, 0, header.Length);
            Assert.Contains("\"dtype\":\"BOOL\"", System.Text.Encoding.ASCII.GetString(header));
        }
        File.Delete(path);
    }

    [Fact]
    public void Random_selects_exactly_the_rounded_fraction_with_a_seed()
    {
        var tensors = new Dictionary<string, Tensor> { ["x.lora_A"] = zeros(8, 10), ["x.lora_B"] = zeros(30, 8) };
        using var m1 = LoraMaskSet.Random(tensors, 0.4, 3);
        using var m2 = LoraMaskSet.Random(tensors, 0.4, 3);
        Assert.Equal(128, m1.TotalActive);                            // round(0.4 × 320)
        Assert.All(m1.Masks, kv => Assert.True(Same(kv.Value, m2.Masks[kv.Key])));
    }

    [Fact]
    public void Non_mask_files_are_bad_input()
    {
        var path = Path.Combine(Path.GetTempPath(), $"notmask-{Guid.NewGuid():N}.safetensors");
        SafetensorsFile.Write(path, [TensorSource.Of("x.lora_A", zeros(2, 2))]);
        Assert.Contains("not bool masks", Assert.Throws<BadInputException>(() => LoraMaskSet.Load(path, CPU)).Message);
        File.WriteAllText(path, "garbage");
        Assert.Throws<BadInputException>(() => LoraMaskSet.Load(path, CPU));
        var json = System.Text.Encoding.ASCII.GetBytes("{\"x.lora_A\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)json.Length), .. json, 0, 0]);
        Assert.Contains("unsupported dtype F8_E4M3", Assert.Throws<BadInputException>(() => LoraMaskSet.Load(path, CPU)).Message);
        File.Delete(path);
    }
}
