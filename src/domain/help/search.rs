//! The FAQ search (`/help/faq?q=`): an entry matches when every word of the query occurs in
//! its question or its answer, ignoring case. Substrings count, because Korean attaches its
//! particles to the word (`청구서` must find `청구서는`).
/// Longest query read, in characters; the rest is ignored (the field's `maxlength` says so too).
pub const MAX_QUERY_CHARS: usize = 100;

/// The query's words, lower-cased, at most [`MAX_QUERY_CHARS`] characters of it. Empty when
/// the query is blank: then every entry matches.
pub fn words(query: &str) -> Vec<String> {
    let q: String = query.chars().take(MAX_QUERY_CHARS).collect();
    q.split_whitespace().map(str::to_lowercase).collect()
}

/// Does the entry with this question and answer (Markdown) match all the words?
pub fn matches(words: &[String], question: &str, answer: &str) -> bool {
    if words.is_empty() {
        return true;
    }
    let question = question.to_lowercase();
    let answer = answer.to_lowercase();
    words
        .iter()
        .all(|w| question.contains(w.as_str()) || answer.contains(w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_must_occur_in_the_question_or_the_answer() {
        let q = "청구서는 언제 발행되나요?";
        let a = "매월 1일에 **지난달** 사용량으로 발행됩니다. VAT 포함.";
        assert!(matches(&words("청구서"), q, a));
        assert!(matches(&words("  청구서   지난달 "), q, a));
        assert!(matches(&words("vat"), q, a), "case is ignored");
        assert!(!matches(&words("청구서 환불"), q, a), "every word");
        assert!(!matches(&words("프로젝트"), q, a));
    }

    #[test]
    fn a_blank_query_matches_everything_and_long_ones_are_cut() {
        assert!(words(" \t ").is_empty());
        assert!(matches(&words(""), "q", "a"));
        let long = format!("{} tail", "x".repeat(MAX_QUERY_CHARS));
        assert_eq!(words(&long), ["x".repeat(MAX_QUERY_CHARS)]);
    }
}
