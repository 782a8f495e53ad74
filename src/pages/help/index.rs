//! `/help`: where help is found (R8.1): the manual, the FAQ (searchable from here), the SLA
//! guide and compensation scheme, service and incident notices, terms and privacy, and how
//! to reach support, with the kinds of support there are (R8.4).
use super::tr;
use leptos::prelude::*;
use leptos_meta::Title;

/// (path, Korean title, English title, Korean line, English line)
type Entry = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const ENTRIES: [Entry; 9] = [
    (
        "/help/manual",
        "사용자 매뉴얼",
        "User manual",
        "가입부터 프로젝트, 요금제, 사용량, 청구서, 지원 문의까지",
        "From sign-up to projects, plans, usage, invoices and support tickets",
    ),
    (
        "/help/faq",
        "자주 묻는 질문",
        "FAQ",
        "분류별로 보거나 검색하세요",
        "Browse by category or search",
    ),
    (
        "/help/sla",
        "SLA 안내",
        "SLA guide",
        "가용성 목표, 장애와 제외 시간, 보상 받는 방법",
        "The availability target, outages and exclusions, how credits work",
    ),
    (
        "/help/compensation",
        "SLA 보상 기준",
        "SLA compensation scheme",
        "현재 보상 비율과 계산 기준",
        "The credit rates and basis in force",
    ),
    (
        "/help/notices",
        "서비스 공지",
        "Service notices",
        "보안 점검 보고서, 원격 지원, 방문 교육 안내",
        "Security reports, remote support and on-site training",
    ),
    (
        "/incidents",
        "장애 공지",
        "Incident notices",
        "지난 장애와 복구 내역",
        "Past incidents and their recovery",
    ),
    (
        "/support/new",
        "지원 문의",
        "Contact support",
        "문의, 장애 신고, 불만 접수, 원격 지원·방문 교육·보안 보고서 요청 (로그인 필요)",
        "Inquiries, incident reports, complaints, remote support, training and security report requests (log-in needed)",
    ),
    (
        "/terms",
        "이용약관",
        "Terms of Service",
        "서비스 이용 조건",
        "The terms of using the service",
    ),
    (
        "/privacy",
        "개인정보 처리방침",
        "Privacy Policy",
        "개인정보를 다루는 방법",
        "How personal data is handled",
    ),
];

#[component]
pub fn HelpIndexPage() -> impl IntoView {
    view! {
        <Title text=tr("도움말", "Help") />
        <section class="page help">
            <h1>{tr("도움말", "Help")}</h1>
            <p class="lead">{tr(
                "서비스 사용 방법, 자주 묻는 질문, SLA와 공지를 모았습니다. 로그인하지 않아도 볼 수 있습니다.",
                "How to use the service, common questions, the SLA and notices, all readable without logging in.",
            )}</p>
            <form method="get" action="/help/faq" class="search help-search" role="search" data-test="help-search">
                <label for="help-q" class="sr-only">{tr("FAQ 검색어", "Search the FAQ")}</label>
                <input id="help-q" type="search" name="q" maxlength="100" placeholder=tr("FAQ 검색 (예: 청구서)", "Search the FAQ (e.g. invoice)") />
                <button type="submit" class="button primary">{tr("검색", "Search")}</button>
            </form>
            <ul class="cards" data-test="help-index">
                {ENTRIES.into_iter().map(|(href, ko, en, line_ko, line_en)| view! {
                    <li class="card">
                        <a class="card-title" href=href>{tr(ko, en)}</a>
                        <p class="hint">{tr(line_ko, line_en)}</p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
