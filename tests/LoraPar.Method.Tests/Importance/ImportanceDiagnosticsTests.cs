using LoraPar.Core;
using LoraPar.Method.Importance;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Method.Tests.Importance;

public sealed class ImportanceDiagnosticsTests
{
    private const string A = "model.layers.0.self_attn.q_proj.lora_A", B = "model.layers.0.self_attn.q_proj.lora_B";

    public ImportanceDiagnosticsTests() => TorchRuntime.EnsureInitialized();

    private static ImportanceScores Scores(Tensor a1, Tensor b1, Tensor a2, Tensor b2) =>
        new(new Dictionary<string, Tensor> { [A] = a1, [B] = b1 }, new Dictionary<string, Tensor> { [A] = a2, [B] = b2 });

    [Fact]
    public void All_zero_importance_names_the_init_to_use()
    {
        using var scope = NewDisposeScope();
        using var scores = Scores(zeros(2, 3), zeros(3, 2), ones(2, 3), ones(3, 2));
        var error = Assert.Throws<BadInputException>(() => ImportanceDiagnostics.Check(scores));
        Assert.Contains("System 1 are zero", error.Message);
        Assert.Contains("B = 0", error.Message);
        Assert.Contains("gaussian-both", error.Message);
        Assert.Contains("pissa", error.Message);
        Assert.Contains("olora", error.Message);
    }

    [Fact]
    public void A_factor_that_scores_zero_everywhere_is_a_warning()
    {
        using var scope = NewDisposeScope();
        using var scores = Scores(zeros(2, 3), ones(3, 2), ones(2, 3), ones(3, 2));
        var warnings = ImportanceDiagnostics.Check(scores);
        Assert.Contains(warnings, w => w.Contains("System 1") && w.Contains("every lora_A element scores zero") && w.Contains("gaussian-both"));
        Assert.DoesNotContain(warnings, w => w.Contains("System 2"));
    }

    [Fact]
    public void Non_finite_importance_is_bad_input()
    {
        using var scope = NewDisposeScope();
        using var scores = Scores(ones(2, 3), ones(3, 2), full(2, 3, double.NaN), ones(3, 2));
        var error = Assert.Throws<BadInputException>(() => ImportanceDiagnostics.Check(scores));
        Assert.Contains($"'{A}' for System 2", error.Message);
    }
}
