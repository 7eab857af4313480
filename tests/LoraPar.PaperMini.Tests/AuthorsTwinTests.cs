using LoraPar.Model.Tokenizers;
using LoraPar.Pipeline.Stages.Training;

namespace LoraPar.PaperMini.Tests;

/// <summary>
/// The authors' profile (experiments/paper/authors/) at CPU scale: stage 2 on every training row, its prompt under the chat
/// model's LLaMA-2 template, and GSM8K reported at the rl point in both formats.
/// </summary>
[Collection(PaperMiniCollection.Name)]
public sealed class AuthorsTwinTests(PaperMiniKit kit)
{
    [SkippableFact]
    public void The_authors_profile_and_its_reverted_twins_run_and_differ_where_they_should()
    {
        kit.RequireShared();
        var authors = Assert.Single(TwinResults.Runs(kit.Run("authors/gsm8k.toml")));
        var d2Only = Assert.Single(TwinResults.Runs(kit.Run("authors/paper-rl-rows.toml")));
        var baseModel = Assert.Single(TwinResults.Runs(kit.Run("authors/paper-model.toml")));

        Assert.Equal(authors.Manifest.Rl.TotalSteps(authors.D1 + authors.D2), authors.Metric("rl_steps"));   // all of GSM8K train
        Assert.Equal(d2Only.Manifest.Rl.TotalSteps(d2Only.D2), d2Only.Metric("rl_steps"));
        Assert.Equal(ChatTemplate.Llama2, authors.Manifest.Rl.Prompt.ChatTemplate.Resolve(RlPrompt.TemplateFolder(authors.Manifest)));
        Assert.Equal(ChatTemplate.None, baseModel.Manifest.Rl.Prompt.ChatTemplate.Resolve(RlPrompt.TemplateFolder(baseModel.Manifest)));
        foreach (var run in new[] { authors, d2Only, baseModel })
        {
            Assert.InRange(run.Metric("gsm8k_reasoning_accuracy_stage2"), 0, 100);
            Assert.InRange(run.Metric("gsm8k_accuracy_stage2"), 0, 100);
            Assert.DoesNotContain("gsm8k_reasoning_accuracy_stage1", run.Metrics.Keys);   // stage 1 is SFT: asked in its own format only
            Assert.True(File.Exists(Path.Combine(run.Folders["eval"], "gsm8k_reasoning_stage2.jsonl")), run.Variant);
        }
    }
}
