using LoraPar.Core;
using LoraPar.Model.Runtime;
using LoraPar.Training.Guards;
using TorchSharp;
using TorchSharp.Modules;

namespace LoraPar.Training.Tests.Guards;

public sealed class UpdateGuardTests
{
    private static readonly GuardAdvice Advice = new("rl", 2e-4, 100);

    public UpdateGuardTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Growth_is_measured_against_the_larger_of_the_old_magnitude_and_the_floor()
    {
        using var a = new Parameter(torch.tensor(new[] { 0.5f, -0.25f }));
        using var b = new Parameter(torch.zeros(2));
        var guard = new UpdateGuard(new Dictionary<string, Parameter> { ["a"] = a, ["b"] = b }, maxRatio: 100);
        using (torch.no_grad())
        {
            b.copy_(torch.tensor(new[] { 0f, -0.5f }));                         // 0 -> 0.5: 0.5 / max(0, 0.01) = 50, allowed
        }
        guard.Check("grpo", 1, 3, null, Advice);
        using (torch.no_grad())
        {
            a.copy_(torch.tensor(new[] { 60f, 0f }));                           // 0.5 -> 60: 120-fold
        }
        var error = Assert.Throws<JobFailedException>(() => guard.Check("grpo", 2, 3, "ckpt/step-000001", Advice));
        Assert.Equal("grpo: an update grew parameter a 120-fold (largest magnitude 0.5 -> 60, max_update_ratio 100) at step 2 of 3; the stage "
            + "stopped and commits nothing. The last good checkpoint is kept at ckpt/step-000001; the stage resumes from it when run again. "
            + "Lower [rl] learning_rate (now 0.0002), or raise [rl] max_update_ratio (now 100) if such growth is intended.", error.Message);
    }

    [Fact]
    public void A_non_finite_parameter_stops_the_stage_naming_it()
    {
        using var a = new Parameter(torch.ones(3));
        var guard = new UpdateGuard(new Dictionary<string, Parameter> { ["layer.lora_B"] = a }, maxRatio: 100);
        using (torch.no_grad())
        {
            a[1] = torch.tensor(float.NaN);
        }
        var error = Assert.Throws<JobFailedException>(() => guard.Check("sft", 4, 6, null, Advice));
        Assert.StartsWith("sft: parameter layer.lora_B became non-finite at step 4 of 6; the stage stopped and commits nothing. No checkpoint", error.Message);
        Assert.EndsWith("Lower [rl] learning_rate (now 0.0002) or max_grad_norm, use float32, or check the data for empty or extreme examples.", error.Message);
    }
}
