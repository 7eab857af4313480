namespace LoraPar.Evaluation.Mmlu;

/// <summary>The four MMLU supercategories.</summary>
public enum MmluCategory
{
    Stem,
    Humanities,
    SocialSciences,
    Other,
}

/// <summary>The standard map of the 57 MMLU subjects to their supercategories (Hendrycks et al., categories.py).</summary>
public static class MmluCategories
{
    private static readonly string[] Stem =
    [
        "abstract_algebra", "astronomy", "college_biology", "college_chemistry", "college_computer_science",
        "college_mathematics", "college_physics", "computer_security", "conceptual_physics", "electrical_engineering",
        "elementary_mathematics", "high_school_biology", "high_school_chemistry", "high_school_computer_science",
        "high_school_mathematics", "high_school_physics", "high_school_statistics", "machine_learning",
    ];

    private static readonly string[] Humanities =
    [
        "formal_logic", "high_school_european_history", "high_school_us_history", "high_school_world_history",
        "international_law", "jurisprudence", "logical_fallacies", "moral_disputes", "moral_scenarios", "philosophy",
        "prehistory", "professional_law", "world_religions",
    ];

    private static readonly string[] SocialSciences =
    [
        "econometrics", "high_school_geography", "high_school_government_and_politics", "high_school_macroeconomics",
        "high_school_microeconomics", "high_school_psychology", "human_sexuality", "professional_psychology",
        "public_relations", "security_studies", "sociology", "us_foreign_policy",
    ];

    private static readonly string[] Other =
    [
        "anatomy", "business_ethics", "clinical_knowledge", "college_medicine", "global_facts", "human_aging", "management",
        "marketing", "medical_genetics", "miscellaneous", "nutrition", "professional_accounting", "professional_medicine",
        "virology",
    ];

    /// <summary>Every subject with its category.</summary>
    public static IReadOnlyDictionary<string, MmluCategory> BySubject { get; } =
        Stem.Select(s => (s, MmluCategory.Stem))
            .Concat(Humanities.Select(s => (s, MmluCategory.Humanities)))
            .Concat(SocialSciences.Select(s => (s, MmluCategory.SocialSciences)))
            .Concat(Other.Select(s => (s, MmluCategory.Other)))
            .ToDictionary(p => p.s, p => p.Item2, StringComparer.Ordinal);

    /// <summary>The category of <paramref name="subject"/>; a subject outside the 57 counts as <see cref="MmluCategory.Other"/>.</summary>
    public static MmluCategory Of(string subject) => BySubject.GetValueOrDefault(subject, MmluCategory.Other);
}
