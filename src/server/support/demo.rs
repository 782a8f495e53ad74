//! Demo tickets for `serve --demo`: the demo customer has tickets in several states and the
//! demo admin a queue with one breached clock. Filed through the use cases with past clocks,
//! so they are exactly what real use would leave behind.
use super::tickets::{self, CustomerAction, SupportError};
use crate::model::StaffRole;
use crate::model::support::TicketFormResult;
use crate::server::db::users;
use crate::server::startup::AppState;
use chrono::{DateTime, Duration, Utc};

fn form(kind: &str, severity: &str, subject: &str, body: &str) -> TicketFormResult {
    TicketFormResult {
        kind: kind.into(),
        severity: severity.into(),
        subject: subject.into(),
        body: body.into(),
        ..TicketFormResult::default()
    }
}

async fn file(
    state: &AppState,
    customer: i64,
    f: TicketFormResult,
    at: DateTime<Utc>,
) -> Result<Option<i64>, SupportError> {
    Ok(
        match tickets::create(state, customer, f, Vec::new(), at).await? {
            tickets::CreateOutcome::Created(id) => Some(id),
            tickets::CreateOutcome::Refused(_) => None,
        },
    )
}

pub async fn seed(state: &AppState, now: DateTime<Utc>) -> Result<(), SupportError> {
    let (Some(customer), Some(admin)) = (
        users::find_by_login_id(&state.db, "demo").await?,
        users::find_by_login_id(&state.db, "admin").await?,
    ) else {
        return Ok(());
    };
    let (c, a) = (customer.id, admin.id);
    let had = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tickets WHERE customer_id = $1")
        .bind(c)
        .fetch_one(&state.db.pool)
        .await?;
    if had > 0 {
        return Ok(());
    }
    let days = |n: i64| now - Duration::days(n);
    // Breached: an incident filed a week ago that nobody has answered.
    file(
        state,
        c,
        form(
            "incident",
            "major",
            "결제 화면 응답 지연 알림이 오지 않습니다",
            "어제부터 **응답 지연 알림**이 오지 않습니다.",
        ),
        days(7),
    )
    .await?;
    // Waiting for the customer.
    if let Some(id) = file(
        state,
        c,
        form(
            "inquiry",
            "",
            "에이전트 설치 방법 문의",
            "쿠버네티스 클러스터에 에이전트를 설치하는 방법을 알려 주세요.",
        ),
        days(3),
    )
    .await?
    {
        tickets::staff_message(state, a, StaffRole::Admin, id, "reply", "[설치 안내](https://docs.example.kr/agent)를 참고해 주세요. 클러스터 버전을 알려 주시겠어요?", Vec::new(), days(3) + Duration::hours(1)).await?;
        tickets::staff_set_status(
            state,
            a,
            StaffRole::Admin,
            id,
            "waiting_for_customer",
            days(3) + Duration::hours(2),
        )
        .await?;
    }
    // Resolved with every promise kept, then rated.
    if let Some(id) = file(
        state,
        c,
        form(
            "incident",
            "critical",
            "대시보드 데이터 누락",
            "10:00부터 대시보드에 데이터가 보이지 않습니다.",
        ),
        days(10),
    )
    .await?
    {
        let at = |h: i64| days(10) + Duration::minutes(h);
        tickets::staff_message(
            state,
            a,
            StaffRole::Admin,
            id,
            "reply",
            "확인 중입니다.",
            Vec::new(),
            at(20),
        )
        .await?;
        tickets::staff_message(
            state,
            a,
            StaffRole::Admin,
            id,
            "progress",
            "수집 서버 디스크를 증설하고 있습니다.",
            Vec::new(),
            at(60),
        )
        .await?;
        tickets::staff_set_status(state, a, StaffRole::Admin, id, "resolved", at(120)).await?;
        tickets::staff_message(
            state,
            a,
            StaffRole::Admin,
            id,
            "report",
            "원인: 수집 서버 디스크 부족. 재발 방지: 용량 경보 추가.",
            Vec::new(),
            at(180),
        )
        .await?;
        tickets::classify(
            state,
            a,
            StaffRole::Admin,
            id,
            "service_outage",
            "our_operations",
            at(181),
        )
        .await?;
        tickets::customer_action(state, c, id, CustomerAction::Rate(5), at(240)).await?;
    }
    // Closed by the customer.
    if let Some(id) = file(
        state,
        c,
        form(
            "complaint",
            "",
            "청구서 발송 지연",
            "이번 달 청구서를 받지 못했습니다.",
        ),
        days(20),
    )
    .await?
    {
        tickets::staff_message(
            state,
            a,
            StaffRole::Admin,
            id,
            "reply",
            "재발송했습니다. 불편을 드려 죄송합니다.",
            Vec::new(),
            days(19),
        )
        .await?;
        tickets::customer_action(state, c, id, CustomerAction::Close, days(18)).await?;
    }
    Ok(())
}
