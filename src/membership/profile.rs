//! Joining and the profile: the `joined` event that makes a member (first
//! tier, review clock, sign-up points) and `profile_set` (a birthday, set
//! once, and tags, replaced).

use crate::code;
use crate::error::Result;
use crate::ledger::{refuse, Booking, Member};
use crate::membership::tier;
use crate::rules::{Rules, MAX_ID_LEN};
use crate::sorting;
use crate::time::MonthDay;

/// Most tags a member has.
pub const MAX_TAGS: usize = 100;

/// `joined`: the member starts in the first tier, their review period
/// starts with the period they join in, and `sign_up` points (if the rules
/// give any) are credited, outside the daily cap.
pub(crate) fn joined(rules: &Rules, m: &mut Member, b: &Booking, id: &str) -> Result<()> {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(refuse(
            code::BAD_ID,
            "event.member",
            "会员标识须为 1 到 64 字节",
            "a member id must be 1 to 64 bytes",
        ));
    }
    m.id = id.to_string();
    m.joined_at = Some(b.at);
    m.tier = rules.membership.tiers[0].id.clone();
    m.tier_since = b.at;
    m.reviewed_through = tier::period_start(rules, b.at);
    if let Some(a) = rules.points.activities.get("sign_up") {
        m.points.earn(rules.zone(), rules.points.expiry, b.at, a.points, "sign_up", b.id)?;
    }
    Ok(())
}

/// `profile_set`: a birthday can be set once (setting the same one again is
/// fine); tags are replaced, sorted and without duplicates.
pub(crate) fn set(m: &mut Member, birthday: Option<MonthDay>, tags: Option<&[String]>) -> Result<()> {
    if let Some(b) = birthday {
        match m.birthday {
            Some(old) if old != b => {
                return Err(refuse(
                    code::BIRTHDAY_ALREADY_SET,
                    "event.birthday",
                    "生日设置后不能修改",
                    "a birthday cannot be changed once set",
                ));
            }
            _ => m.birthday = Some(b),
        }
    }
    if let Some(t) = tags {
        if t.len() > MAX_TAGS || t.iter().any(|x| x.is_empty() || x.len() > MAX_ID_LEN) {
            return Err(refuse(
                code::BAD_TAGS,
                "event.tags",
                "标签最多 100 个，每个 1 到 64 字节",
                "at most 100 tags of 1 to 64 bytes each",
            ));
        }
        let mut t = t.to_vec();
        sorting::sort_dedup(&mut t);
        m.tags = t;
    }
    Ok(())
}
