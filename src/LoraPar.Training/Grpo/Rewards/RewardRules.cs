namespace LoraPar.Training.Grpo.Rewards;

/// <summary>
/// Which reading of the reward functions GRPO uses (<c>rl.reward_rules</c>). The two differ only on completions off the ideal
/// layout; the ideal completion scores the same under both.
/// </summary>
public enum RewardRules
{
    /// <summary><see cref="Authors"/> on file data; <see cref="Lorapar"/> on the synthetic task (whose pinned results were computed with it).</summary>
    Auto,

    /// <summary>
    /// The authors' functions as their example computes them: the answer is the text after the last <c>&lt;answer&gt;</c> up
    /// to the next <c>&lt;/answer&gt;</c> (the whole completion when there is no tag), compared as a string with the gold
    /// number (commas and <c>$</c> removed from the gold), <c>str.isdigit</c> for the integer reward, both format regexes with
    /// DOTALL (the soft one on the stripped completion, the strict one's <c>$</c> also before a final newline), and the tag
    /// count's 0.001-per-character penalties on <c>split(marker)[-1]</c> (the whole completion when the marker is absent).
    /// </summary>
    Authors,

    /// <summary>
    /// lorapar's stricter reading: no <c>&lt;answer&gt;</c> tag means no answer, answers compare as numbers, the strict layout
    /// ends exactly after its final newline and its contents hold no other tag, the soft layout is not stripped first, and the
    /// tag count penalises only text after the last <c>"\n&lt;/answer&gt;"</c>.
    /// </summary>
    Lorapar,
}
